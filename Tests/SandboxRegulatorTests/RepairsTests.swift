import Foundation
import Hummingbird

import SandboxCore
import XCTest
@testable import SandboxRegulator

/// Credit repair as a flow: application → review → decision within the limit → the list entry
/// ends in the registry, which every agent then receives as a registry change.
final class RepairsTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias S = StaffAccessTests

    static func repair(_ client: some TestClientProtocol, _ headers: HTTPFields, _ json: String) async throws -> TestResponse {
        try await client.execute(uri: "/v1/admin/repairs", method: .post, headers: headers, body: F.buffer(Array(json.utf8)))
    }

    func testAnApprovedRepairEndsTheListEntryForEveryAgent() async throws {
        let f = try F(); defer { f.remove() }
        // The enterprise is on the abnormal operations list (经营异常名录) in the registry.
        _ = try await f.store.write { try $0.importRegistry([RegistryRecord(uscc: S.jinjiang, name: "锦江小店", abnormalList: true)], now: 1) }
        try await f.app().test(.router) { client in
            try await S.addStaff(client, "jinjiang-1", role: "district", district: "510104")
            try await S.addStaff(client, "wuhou-1", role: "district", district: "510107")
            let officer = try await S.login(client, "jinjiang-1")
            var r = try await Self.repair(client, officer, #"{"uscc":"\#(S.jinjiang)","list":"abnormal_list","applicant":"锦江小店","application_letter":true}"#)
            XCTAssertEqual(r.status, .created, F.text(r))
            let applied = try F.json(r)
            let id = try XCTUnwrap(applied["id"] as? String)
            XCTAssertEqual(applied["state"] as? String, "pending")
            let received = CivilDate(unixTime: Timestamp.now())
            XCTAssertEqual(applied["decide_by"] as? String, received.adding(workingDays: 5).description, "5 working days")
            // Another district neither sees it nor decides it.
            let other = try await S.login(client, "wuhou-1")
            r = try await client.execute(uri: "/v1/admin/repairs", method: .get, headers: other)
            XCTAssertEqual(try F.json(r)["count"] as? Int, 0)
            r = try await client.execute(uri: "/v1/admin/repairs/\(id)/decision", method: .post, headers: other,
                                         body: F.buffer(Array(#"{"decision":"approve"}"#.utf8)))
            XCTAssertEqual(r.status, .notFound)
            // Without the 守信承诺书 on file there is no approval; a rejection needs its reason.
            r = try await client.execute(uri: "/v1/admin/repairs/\(id)/decision", method: .post, headers: officer,
                                         body: F.buffer(Array(#"{"decision":"approve"}"#.utf8)))
            XCTAssertEqual(r.status, .conflict, F.text(r))
            r = try await client.execute(uri: "/v1/admin/repairs/\(id)/decision", method: .post, headers: officer,
                                         body: F.buffer(Array(#"{"decision":"reject"}"#.utf8)))
            XCTAssertEqual(r.status, .badRequest)

            r = try await Self.repair(client, officer, #"{"uscc":"\#(S.jinjiang)","list":"abnormal_list","applicant":"锦江小店","application_letter":true,"commitment_letter":true}"#)
            let complete = try XCTUnwrap(try F.json(r)["id"] as? String)
            r = try await client.execute(uri: "/v1/registry/changes?after=0", method: .get, headers: F.bearer(F.tokens["A"]!))
            let before = try F.json(r)["next_cursor"] as? Int ?? -1
            r = try await client.execute(uri: "/v1/admin/repairs/\(complete)/decision", method: .post, headers: officer,
                                         body: F.buffer(Array(#"{"decision":"approve","reason":"已履行公示义务"}"#.utf8)))
            XCTAssertEqual(r.status, .ok, F.text(r))
            let decided = try F.json(r)
            XCTAssertEqual(decided["state"] as? String, "approved")
            XCTAssertEqual(decided["decided_by"] as? String, "jinjiang-1")
            // Every agent hears it: the registry entry changed, under a new cursor.
            r = try await client.execute(uri: "/v1/registry/changes?after=\(before)", method: .get, headers: F.bearer(F.tokens["B"]!))
            let changes = try F.json(r)["changes"] as? [[String: Any]] ?? []
            XCTAssertEqual(changes.count, 1)
            XCTAssertEqual(changes.first?["abnormal_list"] as? Bool, false)
            XCTAssertEqual(changes.first?["cursor"] as? Int, decided["registry_cursor"] as? Int)
            // Decided once.
            r = try await client.execute(uri: "/v1/admin/repairs/\(complete)/decision", method: .post, headers: officer,
                                         body: F.buffer(Array(#"{"decision":"reject","reason":"x"}"#.utf8)))
            XCTAssertEqual(r.status, .conflict)
            // The profile lists both applications; the outcome figures count the approval.
            r = try await client.execute(uri: "/v1/admin/merchants/\(S.jinjiang)", method: .get, headers: officer)
            XCTAssertEqual((try F.json(r)["repairs"] as? [Any])?.count, 2)
            r = try await client.execute(uri: "/v1/admin/reports/outcomes", method: .get, headers: officer)
            XCTAssertEqual(try F.json(r)["repairs"] as? Int, 1)
            r = try await client.execute(uri: "/v1/admin/repairs?state=pending", method: .get, headers: officer)
            XCTAssertEqual((try F.json(r)["repairs"] as? [[String: Any]])?.map { $0["id"] as? String }, [id])
        }
    }

    func testWorkingDays() {
        let friday = CivilDate(year: 2026, month: 12, day: 4)!
        XCTAssertFalse(friday.isWeekend)
        XCTAssertTrue(friday.adding(days: 1).isWeekend)
        XCTAssertTrue(friday.adding(days: 2).isWeekend)
        XCTAssertEqual(friday.adding(workingDays: 1), CivilDate(year: 2026, month: 12, day: 7))
        XCTAssertEqual(friday.adding(workingDays: 5), CivilDate(year: 2026, month: 12, day: 11))
        XCTAssertEqual(CivilDate(year: 1970, month: 1, day: 1)!.isWeekend, false, "a Thursday")
    }
}
