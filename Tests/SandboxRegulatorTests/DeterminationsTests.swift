import Foundation
import Hummingbird

import SandboxCore
import XCTest
@testable import SandboxRegulator

/// The agents recommend, an officer decides: "first" judged across every platform, a decision
/// made once, the education note sent only by a decision not to penalise.
final class DeterminationsTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias P = PolicyItems
    typealias S = StaffAccessTests

    static func rectified(_ platform: String, _ id: String, uscc: String, merchant: String, result: String, opened: String) -> String {
        P.line("case", platform: platform, key: id, uscc: uscc, data: [
            "case_id": id, "rule_id": "RL-02", "severity": "minor", "state": "rectified", "platform_merchant_id": merchant,
            "opened_at": opened, "rectified_at": "2026-06-10T10:00:00+08:00", "in_time": true,
            "determination": ["result": result, "basis": "《中华人民共和国行政处罚法》第三十三条",
                              "criteria": ["first": ["holds": true, "earlier_cases": [] as [String]]],
                              "note": "请认真学习电子商务法，依法亮照经营。"] as [String: Any],
        ])
    }

    func testAnOfficerDecidesAndOnlyADecisionNotToPenaliseEducates() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            var (status, answer) = try await P.post(client, platform: "A", key: "d-1", [
                S.merchant("m1", uscc: S.jinjiang, region: "510104"),
                Self.rectified("A", "A-c1", uscc: S.jinjiang, merchant: "m1", result: "no_penalty", opened: "2026-06-01T09:00:00+08:00"),
                Self.rectified("A", "A-c2", uscc: S.wuhou, merchant: "m2", result: "may_not_penalize", opened: "2026-06-01T09:00:00+08:00"),
            ])
            XCTAssertEqual(answer["accepted"] as? Int, 3, "\(answer)")
            // On platform B the same enterprise (武侯) had a case of the same rule 100 days before:
            // platform A's agent could not see it; the regulator does.
            (status, answer) = try await P.post(client, platform: "B", key: "d-2", [
                Self.rectified("B", "B-c0", uscc: S.wuhou, merchant: "b2", result: "none", opened: "2026-02-21T09:00:00+08:00")])
            XCTAssertEqual(status, .ok)
            try await S.addStaff(client, "jinjiang-1", role: "district", district: "510104")
            let officer = try await S.login(client, "jinjiang-1")

            var r = try await client.execute(uri: "/v1/admin/determinations", method: .get, headers: officer)
            XCTAssertEqual((try F.json(r)["recommendations"] as? [[String: Any]])?.map { $0["case_id"] as? String }, ["A-c1"],
                           "the district's own only")
            r = try await client.execute(uri: "/v1/admin/determinations/A/A-c2", method: .get, headers: F.admin)
            let other = try F.json(r)
            XCTAssertEqual(other["first_here"] as? Bool, false)
            XCTAssertEqual(other["earlier_cases"] as? [String], ["B/B-c0"])
            XCTAssertEqual(other["first_on_platform"] as? Bool, true)
            // The list judges "first" for its whole page in one statement: the same answers.
            r = try await client.execute(uri: "/v1/admin/determinations", method: .get, headers: F.admin)
            let listed = try XCTUnwrap(try F.json(r)["recommendations"] as? [[String: Any]])
            let byCase = Dictionary(uniqueKeysWithValues: listed.map { ($0["case_id"] as? String ?? "", $0) })
            XCTAssertEqual(byCase["A-c2"]?["first_here"] as? Bool, false, "\(listed)")
            XCTAssertEqual(byCase["A-c2"]?["earlier_cases"] as? [String], ["B/B-c0"])
            XCTAssertEqual(byCase["A-c1"]?["first_here"] as? Bool, true)
            XCTAssertEqual(byCase["A-c1"]?["earlier_cases"] as? [String], [])

            func decide(_ path: String, _ json: String, _ headers: HTTPFields) async throws -> TestResponse {
                try await client.execute(uri: "/v1/admin/determinations/\(path)", method: .post, headers: headers, body: F.buffer(Array(json.utf8)))
            }
            r = try await decide("A/A-c2", #"{"decision":"may_not_penalize_applied"}"#, F.admin)
            XCTAssertEqual(r.status, .conflict, "not first across platforms: sentence 2 cannot apply")
            r = try await decide("A/A-c2", #"{"decision":"no_penalty"}"#, F.admin)
            XCTAssertEqual(r.status, .conflict, "sentence 1 needs a no_penalty recommendation")
            r = try await decide("A/A-c1", #"{"decision":"no_penalty"}"#, try await S.login(client, "jinjiang-1"))
            XCTAssertEqual(r.status, .created, F.text(r))
            XCTAssertEqual(try F.json(r)["decided_by"] as? String, "jinjiang-1")
            r = try await decide("A/A-c1", #"{"decision":"file_case"}"#, officer)
            XCTAssertEqual(r.status, .conflict, "decided once")
            r = try await decide("A/A-c2", #"{"decision":"may_not_penalize_not_applied"}"#, F.admin)
            XCTAssertEqual(r.status, .created)

            // Only the no-penalty decision reached the platform, with the education note and the organ.
            r = try await client.execute(uri: "/v1/directives?after=0", method: .get, headers: F.bearer(F.tokens["A"]!))
            let sent = (try F.json(r)["directives"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == "determination" }
            XCTAssertEqual(sent.count, 1)
            XCTAssertEqual(sent.first?["platform_merchant_id"] as? String, "m1")
            let payload = try XCTUnwrap(sent.first?["payload"] as? [String: Any])
            XCTAssertEqual(payload["education_note"] as? String, "请认真学习电子商务法，依法亮照经营。")
            XCTAssertEqual(payload["decision"] as? String, "no_penalty")
            XCTAssertTrue((payload["issuer"] as? String ?? "").contains("510104"), "\(payload)")
            let today = CivilDate(unixTime: Timestamp.now())
            r = try await client.execute(uri: "/v1/admin/reports/outcomes?from=\(today)&to=\(today)", method: .get, headers: F.admin)
            XCTAssertEqual(try F.json(r)["no_penalty_decisions"] as? Int, 1, "the officers' decisions, not the recommendations")
        }
    }
}
