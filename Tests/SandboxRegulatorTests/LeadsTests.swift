import Foundation
import Hummingbird

import SandboxCore
import XCTest
@testable import SandboxRegulator

/// Leads land in the queue of the district with jurisdiction and are worked offline to 结案; the
/// steps follow the order of the work, show in the enterprise's profile and leave as an export.
final class LeadsTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias P = PolicyItems
    typealias S = StaffAccessTests

    static func seed(_ client: some TestClientProtocol) async throws {
        let (status, answer) = try await P.post(client, platform: "A", key: "cases-1", [
            S.merchant("m1", uscc: S.jinjiang, region: "510104"),
            S.merchant("m2", uscc: S.wuhou, region: "510107"),
            P.caseItem("A", "A-case-1", uscc: S.jinjiang, rule: "RL-02", state: "open", opened: "2026-04-20T09:00:00+08:00"),
            P.caseItem("A", "A-case-2", uscc: S.jinjiang, rule: "RL-01", state: "overdue", opened: "2026-04-01T09:00:00+08:00"),
            P.caseItem("A", "A-case-3", uscc: S.wuhou, rule: "RL-02", state: "open", opened: "2026-04-21T09:00:00+08:00"),
        ])
        XCTAssertEqual(status, .ok)
        XCTAssertEqual(answer["accepted"] as? Int, 5, "\(answer)")
    }

    static func step(_ client: some TestClientProtocol, _ headers: HTTPFields, _ caseID: String, _ json: String) async throws -> TestResponse {
        try await client.execute(uri: "/v1/admin/leads/A/\(caseID)/steps", method: .post, headers: headers, body: F.buffer(Array(json.utf8)))
    }

    /// A district's queue holds the cases of enterprises registered in it and of those with a
    /// storefront in it on any platform (the case on A, the storefront on B); another district's
    /// officer sees neither.
    func testTheQueueHoldsEnterprisesWithAStorefrontInTheDistrictOnAnyPlatform() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await Self.seed(client)
            var (status, answer) = try await P.post(client, platform: "B", key: "shops-b", [
                S.merchant("b-1", uscc: S.wuhouShopInJinjiang, region: "510104")
                    .replacingOccurrences(of: #""platform_id":"A""#, with: #""platform_id":"B""#),
            ])
            XCTAssertEqual(status, .ok)
            XCTAssertEqual(answer["accepted"] as? Int, 1, "\(answer)")
            (status, answer) = try await P.post(client, platform: "A", key: "cases-a2", [
                S.merchant("m9", uscc: S.wuhouShopInJinjiang, region: "510107"),
                P.caseItem("A", "A-case-9", uscc: S.wuhouShopInJinjiang, rule: "RL-02", state: "open", opened: "2026-04-22T09:00:00+08:00"),
            ])
            XCTAssertEqual(status, .ok)
            XCTAssertEqual(answer["accepted"] as? Int, 2, "\(answer)")
            try await S.addStaff(client, "jinjiang-1", role: "district", district: "510104")
            try await S.addStaff(client, "wuhou-1", role: "district", district: "510107")
            try await S.addStaff(client, "qingyang-1", role: "district", district: "510105")
            func queue(_ officer: String) async throws -> [String] {
                let headers = try await S.login(client, officer)
                let r = try await client.execute(uri: "/v1/admin/leads", method: .get, headers: headers)
                XCTAssertEqual(r.status, .ok)
                return (try F.json(r)["leads"] as? [[String: Any]] ?? []).compactMap { $0["case_id"] as? String }
            }
            let jinjiangQueue = try await queue("jinjiang-1")
            XCTAssertEqual(jinjiangQueue, ["A-case-2", "A-case-1", "A-case-9"])
            let wuhouQueue = try await queue("wuhou-1")
            XCTAssertEqual(wuhouQueue, ["A-case-3", "A-case-9"])
            let qingyangQueue = try await queue("qingyang-1")
            XCTAssertEqual(qingyangQueue, [])
            // A storefront opened in 青羊区 after the case: the case joins that queue too.
            (status, answer) = try await P.post(client, platform: "B", key: "shops-b2", [
                S.merchant("b-2", uscc: S.wuhouShopInJinjiang, region: "510105")
                    .replacingOccurrences(of: #""platform_id":"A""#, with: #""platform_id":"B""#),
            ])
            XCTAssertEqual(answer["accepted"] as? Int, 1, "\(answer)")
            let qingyangLater = try await queue("qingyang-1")
            XCTAssertEqual(qingyangLater, ["A-case-9"])
        }
    }

    func testALeadIsWorkedToClosureByTheDistrictWithJurisdiction() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await Self.seed(client)
            try await S.addStaff(client, "jinjiang-1", role: "district", district: "510104")
            try await S.addStaff(client, "jinjiang-2", role: "district", district: "510104")
            try await S.addStaff(client, "wuhou-1", role: "district", district: "510107")
            let officer = try await S.login(client, "jinjiang-1")

            // The district's queue: its two leads, the overdue one first; not 武侯区's.
            var r = try await client.execute(uri: "/v1/admin/leads", method: .get, headers: officer)
            XCTAssertEqual(r.status, .ok)
            let queue = try F.json(r)["leads"] as? [[String: Any]] ?? []
            XCTAssertEqual(queue.map { $0["case_id"] as? String }, ["A-case-2", "A-case-1"])
            XCTAssertEqual(queue.first?["overdue"] as? Bool, true)
            XCTAssertEqual(queue.first?["stage"] as? String, "new")

            // 立案 before 核查 is out of order; a step without its note is refused.
            r = try await Self.step(client, officer, "A-case-2", #"{"action":"file","note":"成市监立〔2026〕12号"}"#)
            XCTAssertEqual(r.status, .conflict, F.text(r))
            r = try await Self.step(client, officer, "A-case-2", #"{"action":"verify"}"#)
            XCTAssertEqual(r.status, .conflict)
            // Assign to a colleague of the same district (not to another district's officer).
            r = try await Self.step(client, officer, "A-case-2", #"{"action":"assign","assignee":"wuhou-1"}"#)
            XCTAssertEqual(r.status, .badRequest)
            r = try await Self.step(client, officer, "A-case-2", #"{"action":"assign","assignee":"jinjiang-2"}"#)
            XCTAssertEqual(r.status, .created, F.text(r))
            let colleague = try await S.login(client, "jinjiang-2")
            r = try await client.execute(uri: "/v1/admin/leads?assignee=jinjiang-2", method: .get, headers: colleague)
            XCTAssertEqual((try F.json(r)["leads"] as? [Any])?.count, 1)
            for json in [#"{"action":"verify","note":"现场核查：店铺首页未亮照属实"}"#,
                         #"{"action":"file","note":"成市监立〔2026〕12号"}"#,
                         #"{"action":"close","measure":"警告、罚款","penalty_fen":500000,"note":"已整改"}"#] {
                r = try await Self.step(client, colleague, "A-case-2", json)
                XCTAssertEqual(r.status, .created, "\(json): \(F.text(r))")
            }
            let closed = try F.json(r)
            XCTAssertEqual(closed["stage"] as? String, "closed")
            // The outcome returns to the platforms as an event of every storefront of the enterprise.
            r = try await client.execute(uri: "/v1/directives?after=0", method: .get, headers: F.bearer(F.tokens["A"]!))
            let events = (try F.json(r)["directives"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == "event" }
            XCTAssertEqual(events.map { $0["platform_merchant_id"] as? String }, ["m1"])
            let event = try XCTUnwrap(events.first?["payload"] as? [String: Any])
            XCTAssertEqual(event["event_type"] as? String, "penalty")
            XCTAssertEqual(event["event_id"] as? String, "REG-A-A-case-2")
            XCTAssertEqual(event["penalty_fen"] as? Int, 500_000)
            XCTAssertEqual((closed["steps"] as? [[String: Any]])?.map { $0["action"] as? String },
                           ["assign", "verify", "file", "close"])
            r = try await Self.step(client, colleague, "A-case-2", #"{"action":"verify","note":"again"}"#)
            XCTAssertEqual(r.status, .conflict, "a closed lead takes no more steps")
            r = try await client.execute(uri: "/v1/admin/leads?pending=true", method: .get, headers: officer)
            XCTAssertEqual((try F.json(r)["leads"] as? [[String: Any]])?.map { $0["case_id"] as? String }, ["A-case-1"])

            // The outcome is in the enterprise's profile.
            r = try await client.execute(uri: "/v1/admin/merchants/\(S.jinjiang)", method: .get, headers: officer)
            let leads = try F.json(r)["leads"] as? [[String: Any]] ?? []
            let worked = try XCTUnwrap(leads.first { $0["case_id"] as? String == "A-case-2" })
            XCTAssertEqual((worked["steps"] as? [[String: Any]])?.last?["penalty_fen"] as? Int, 500_000)
            XCTAssertEqual((worked["steps"] as? [[String: Any]])?.last?["officer"] as? String, "jinjiang-2")

            // Another district can neither see nor work it: the same 404 as a lead that does not exist.
            let other = try await S.login(client, "wuhou-1")
            r = try await client.execute(uri: "/v1/admin/leads/A/A-case-1", method: .get, headers: other)
            XCTAssertEqual(r.status, .notFound)
            XCTAssertEqual(F.text(r), #"{"error":"no lead A-case-1 from platform A"}"#)
            r = try await Self.step(client, other, "A-case-1", #"{"action":"verify","note":"x"}"#)
            XCTAssertEqual(r.status, .notFound)
            r = try await client.execute(uri: "/v1/admin/leads", method: .get, headers: other)
            XCTAssertEqual((try F.json(r)["leads"] as? [[String: Any]])?.map { $0["case_id"] as? String }, ["A-case-3"])

            // The export for a case system: every step in order, with the next cursor.
            r = try await client.execute(uri: "/v1/admin/leads/export?after=0", method: .get, headers: F.admin)
            XCTAssertEqual(r.headers[.contentType], "application/x-ndjson")
            let lines = F.text(r).split(separator: "\n")
            XCTAssertEqual(lines.count, 4)
            XCTAssertEqual(r.headers[HTTPFields.Element.Name("X-Next-After")!], "4")
            r = try await client.execute(uri: "/v1/admin/leads/export?after=4", method: .get, headers: F.admin)
            XCTAssertEqual(F.text(r), "")
            r = try await client.execute(uri: "/v1/admin/leads/export", method: .get, headers: officer)
            XCTAssertEqual(r.status, .forbidden, "the export is the city's")

            // The leads themselves, every version as the platforms sent it, in the order taken.
            func versions(_ query: String) async throws -> (lines: [[String: Any]], next: String?) {
                let r = try await client.execute(uri: "/v1/admin/leads/changes?\(query)", method: .get, headers: F.admin)
                XCTAssertEqual(r.headers[.contentType], "application/x-ndjson")
                return (F.text(r).split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] },
                        r.headers[HTTPFields.Element.Name("X-Next-After")!])
            }
            let seeded = try await f.store.read { s in
                try ["A-case-1", "A-case-2", "A-case-3"].reduce(0) { $0 + (try s.historyCount(.`case`, platformID: "A", key: $1)) }
            }
            XCTAssertEqual(seeded, 3)
            if f.postgres != nil {
                // PostgreSQL holds the last 60 seconds back: nothing yet, the cursor unmoved.
                let now = try await versions("after=0")
                XCTAssertEqual(now.lines.count, 0)
                XCTAssertEqual(now.next, "0")
                let later = try await f.store.read { try $0.leadVersions(after: 0, limit: 10, now: Timestamp.now() + 61) }
                XCTAssertEqual(later.map(\.caseID), ["A-case-1", "A-case-2", "A-case-3"], "then every version, in order")
            } else {
                let first = try await versions("after=0&limit=2")
                XCTAssertEqual(first.lines.count, 2)
                XCTAssertEqual(first.lines.first?["platform_id"] as? String, "A")
                XCTAssertEqual(first.lines.first?["case_id"] as? String, "A-case-1")
                XCTAssertNotNil((first.lines.first?["case"] as? [String: Any])?["state"], "\(first.lines)")
                XCTAssertEqual(first.next, "\(first.lines.last?["id"] as? Int ?? -1)")
                let rest = try await versions("after=\(first.next ?? "")")
                XCTAssertEqual(rest.lines.map { $0["case_id"] as? String }, ["A-case-3"], "every version once, none skipped")
            }
            r = try await client.execute(uri: "/v1/admin/leads/changes", method: .get, headers: officer)
            XCTAssertEqual(r.status, .forbidden, "the city's, as the steps' export")
            // Every step is in the audit trail with the case as its subject.
            let trail = try await f.store.read { try $0.staffAudit(actor: "jinjiang-2", subject: "A-case-2", since: nil, before: nil, limit: 20) }
            XCTAssertEqual(trail.filter { $0.outcome == "ok" }.count, 3)
        }
    }

    func testTheOrderOfTheWork() {
        XCTAssertNil(LeadStep(action: .verify, note: "ok").problem(after: .new))
        XCTAssertNotNil(LeadStep(action: .file, note: "n").problem(after: .assigned))
        XCTAssertNil(LeadStep(action: .notFile, note: "情节轻微已改正").problem(after: .verified))
        XCTAssertNotNil(LeadStep(action: .notFile, note: " ").problem(after: .verified))
        XCTAssertNil(LeadStep(action: .transfer, transferredTo: "公安机关").problem(after: .filed))
        XCTAssertNotNil(LeadStep(action: .close, measure: "警告", penaltyFen: -1).problem(after: .filed))
        for final in LeadStage.allCases where final.isFinal {
            for action in LeadAction.allCases {
                XCTAssertNotNil(LeadStep(action: action, assignee: "a", note: "n", transferredTo: "t", measure: "m")
                    .problem(after: final), "\(action) after \(final)")
            }
        }
    }
}
