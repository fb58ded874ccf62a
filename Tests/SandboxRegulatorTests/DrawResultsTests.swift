import Foundation
import Hummingbird

import SandboxCore
import XCTest
@testable import SandboxRegulator

/// After the draw: sandbox members inspected remotely, results recorded once, a problem found
/// returned to the platforms as an event, the draw published (一公开) without inspectors' names,
/// and an enterprise inspected within the pack's interval not drawn again.
final class DrawResultsTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias D = DrawRunTests

    func testResultsPublicationFrequencyAndRemoteMode() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in try await D.seed(client) }
        let path = f.folder + "/inspectors.toml"
        try D.inspectors.write(toFile: path, atomically: true, encoding: .utf8)
        let options = DrawRun.Options(packPath: D.packPath, seed: "2026-07-01", inspectorsPath: path, asOf: "2026-07-01", createdBy: "test")
        let first = try await DrawRun.run(options, store: f.store)
        XCTAssertEqual(first.recentlyInspected, 0)
        let members = first.result.drawn.filter { $0.stratum == "sandbox" }
        XCTAssertFalse(members.isEmpty, "the seed draws a sandbox member")
        XCTAssertTrue(members.allSatisfy { $0.mode == "remote" }, "sandbox members are inspected remotely (无感/远程)")
        XCTAssertTrue(first.result.drawn.filter { $0.stratum != "sandbox" }.allSatisfy { $0.mode == "on_site" })
        let subject = try XCTUnwrap(first.result.drawn.first { $0.stratum != "sandbox" })

        try await f.app().test(.router) { client in
            func post(_ path: String, _ json: String, _ headers: HTTPFields = F.admin) async throws -> TestResponse {
                try await client.execute(uri: path, method: .post, headers: headers, body: F.buffer(Array(json.utf8)))
            }
            var r = try await post("/v1/admin/draws/\(first.id)/results", #"{"uscc":"\#(subject.uscc)","result":"problems"}"#)
            XCTAssertEqual(r.status, .conflict, "problems need their follow-up")
            r = try await post("/v1/admin/draws/\(first.id)/results", #"{"uscc":"91510104MA6C0000XX","result":"pass"}"#)
            XCTAssertEqual(r.status, .conflict, "not drawn")
            r = try await post("/v1/admin/draws/\(first.id)/results",
                               #"{"uscc":"\#(subject.uscc)","result":"problems","follow_up":"责令限期整改","inspectors":"J1;J2"}"#)
            XCTAssertEqual(r.status, .created, F.text(r))
            r = try await post("/v1/admin/draws/\(first.id)/results", #"{"uscc":"\#(subject.uscc)","result":"pass"}"#)
            XCTAssertEqual(r.status, .conflict, "recorded once")
            // The problem returns to the platforms as an event of the enterprise's storefronts.
            r = try await client.execute(uri: "/v1/directives?after=0", method: .get, headers: F.bearer(F.tokens["A"]!))
            let events = (try F.json(r)["directives"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == "event" }
            XCTAssertEqual(events.first?["uscc"] as? String, subject.uscc)
            XCTAssertEqual((events.first?["payload"] as? [String: Any])?["event_type"] as? String, "violation")

            // Not public before it is published; then public without a token and without names.
            r = try await client.execute(uri: "/v1/public/draws/\(first.id)", method: .get)
            XCTAssertEqual(r.status, .notFound)
            r = try await post("/v1/admin/draws/\(first.id)/publish", "")
            XCTAssertEqual(r.status, .ok, F.text(r))
            r = try await post("/v1/admin/draws/\(first.id)/publish", "")
            XCTAssertEqual(r.status, .conflict)
            r = try await client.execute(uri: "/v1/public/draws/\(first.id)", method: .get)
            XCTAssertEqual(r.status, .ok)
            let published = try F.json(r)
            XCTAssertNotNil(published["published_at"] as? String)
            XCTAssertEqual((published["results"] as? [[String: Any]])?.first?["result"] as? String, "problems")
            XCTAssertNil((published["results"] as? [[String: Any]])?.first?["recorded_by"])
            XCTAssertFalse(F.text(r).contains("锦江一"), "no inspector's name in the public view")
            XCTAssertTrue(F.text(r).contains("\"mode\":\"remote\""))
            r = try await client.execute(uri: "/v1/admin/draws/\(first.id)", method: .get, headers: F.admin)
            XCTAssertTrue(F.text(r).contains("\"recorded_by\":\"admin-token\""), F.text(r))
        }

        // A new draw within the interval (365 days in the pack) does not draw it again.
        let second = try await DrawRun.run(DrawRun.Options(packPath: D.packPath, seed: "2026-07-02", inspectorsPath: path,
                                                           asOf: CivilDate(unixTime: Timestamp.now()).description, createdBy: "test"),
                                           store: f.store)
        XCTAssertEqual(second.recentlyInspected, 1)
        XCTAssertFalse(second.result.populationLines.contains { $0.hasPrefix(subject.uscc) })
        XCTAssertTrue(second.json().contains("\"recently_inspected\":1"))
    }
}
