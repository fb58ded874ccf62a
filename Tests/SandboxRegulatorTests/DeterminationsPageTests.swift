import Foundation
import Hummingbird

import SandboxCore
import XCTest
@testable import SandboxRegulator

/// The console's art. 33 recommendations (首违不罚): the district's queue, undecided first; one
/// recommendation with its facts and the decisions it allows; a decision through the form
/// (token, roles, the 409 rules said in the reader's language) that reaches the platform as
/// the API's would; another district's is a 404 audited as denied; the queue's downloads.
final class DeterminationsPageTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias P = PolicyItems
    typealias S = StaffAccessTests
    typealias D = DeterminationsTests

    /// 锦江: A-c1 (no_penalty; A-c3 came a month before it, which sentence 1 does not ask about)
    /// and A-c3 (may_not_penalize, first); 武侯: A-c2 (may_not_penalize, not first: platform B had
    /// B-c0 100 days before).
    static func seed(_ client: some TestClientProtocol) async throws {
        var (status, answer) = try await P.post(client, platform: "A", key: "d-1", [
            S.merchant("m1", uscc: S.jinjiang, region: "510104"), S.merchant("m2", uscc: S.wuhou, region: "510107"),
            D.rectified("A", "A-c1", uscc: S.jinjiang, merchant: "m1", result: "no_penalty", opened: "2026-06-01T09:00:00+08:00"),
            D.rectified("A", "A-c2", uscc: S.wuhou, merchant: "m2", result: "may_not_penalize", opened: "2026-06-01T09:00:00+08:00"),
            D.rectified("A", "A-c3", uscc: S.jinjiang, merchant: "m1", result: "may_not_penalize", opened: "2026-05-01T09:00:00+08:00"),
        ])
        XCTAssertEqual(answer["accepted"] as? Int, 5, "\(answer)")
        (status, answer) = try await P.post(client, platform: "B", key: "d-2", [
            D.rectified("B", "B-c0", uscc: S.wuhou, merchant: "b2", result: "none", opened: "2026-02-21T09:00:00+08:00")])
        XCTAssertEqual(status, .ok, "\(answer)")
    }

    func testADistrictOfficerDecidesARecommendationInTheConsoleAndTheNoteReachesThePlatform() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await Self.seed(client)
            try await S.addStaff(client, "jinjiang-1", role: "district", district: "510104")
            try await S.addStaff(client, "auditor-1", role: "auditor")
            var officer = ConsoleBrowser()
            try await officer.logIn(client, "jinjiang-1")

            var r = try await officer.get(client, "/console/determinations")
            XCTAssertEqual(r.status, .ok, F.text(r))
            var page = F.text(r)
            XCTAssertTrue(page.contains("A-c1") && page.contains("A-c3"), page)
            XCTAssertFalse(page.contains("A-c2"), "another district's recommendation is not in the queue")
            XCTAssertTrue(page.contains("href=\"/console/determinations\""), "the navigation links the queue")
            r = try await officer.get(client, "/console/determinations/A/A-c2")
            XCTAssertEqual(r.status, .notFound, "another district's recommendation is the 404 of one never sent")
            r = try await officer.get(client, "/console/determinations/A/A-nothing")
            XCTAssertEqual(r.status, .notFound)

            // A may_not_penalize recommendation, first here: 不予行政处罚 is not on offer, and says why.
            r = try await officer.get(client, "/console/determinations/A/A-c3")
            XCTAssertEqual(r.status, .ok)
            page = F.text(r)
            XCTAssertTrue(page.contains("可以不予行政处罚（首违不罚"), "the recommendation named")
            XCTAssertTrue(page.contains(#"<dd id="first-here"><strong>是</strong>"#), "first across platforms")
            XCTAssertTrue(page.contains(#"id="decision-no_penalty-decide" name="decision" value="no_penalty" disabled"#), page)
            XCTAssertTrue(page.contains(#"id="decision-may_not_penalize_applied-decide" name="decision" value="may_not_penalize_applied" required"#))
            XCTAssertTrue(page.contains("不予行政处罚须以“不予行政处罚”建议为前提"), "the reason beside the choice")
            let token = try XCTUnwrap(ConsoleBrowser.formToken(r))
            r = try await officer.post(client, "/console/determinations/A/A-c3", [("decision", "may_not_penalize_applied")])
            XCTAssertEqual(r.status, .forbidden, "no form token")
            r = try await officer.post(client, "/console/determinations/A/A-c3", [("csrf", token), ("decision", "no_penalty")])
            XCTAssertEqual(r.status, .conflict, "the rule refuses what the recommendation does not allow")
            XCTAssertTrue(F.text(r).contains(#"<p class="error" role="alert" id="refused">不予行政处罚须以"#), F.text(r))
            XCTAssertTrue(F.text(r).contains("id=\"form-decide\""), "the form is there again to choose another")
            r = try await officer.post(client, "/console/determinations/A/A-c3", [("csrf", token), ("decision", "maybe")])
            XCTAssertEqual(r.status, .badRequest)

            // 不予行政处罚 on A-c1, with the officer's own education note.
            r = try await officer.post(client, "/console/determinations/A/A-c1",
                                       [("csrf", token), ("decision", "no_penalty"), ("note", "请在店铺首页亮照经营。")])
            XCTAssertEqual(r.status, .seeOther, F.text(r))
            XCTAssertEqual(r.headers[.location], "/console/determinations/A/A-c1")
            r = try await officer.get(client, "/console/determinations/A/A-c1")
            page = F.text(r)
            XCTAssertTrue(page.contains(#"<dd id="decision">不予行政处罚</dd>"#), page)
            XCTAssertFalse(page.contains("id=\"form-decide\""), "decided once")
            r = try await officer.post(client, "/console/determinations/A/A-c1", [("csrf", token), ("decision", "file_case")])
            XCTAssertEqual(r.status, .conflict)
            XCTAssertTrue(F.text(r).contains("该建议已作出决定"), F.text(r))

            // The decision is the API's: a determination directive to platform A with the note and the organ.
            r = try await client.execute(uri: "/v1/directives?after=0", method: .get, headers: F.bearer(F.tokens["A"]!))
            let sent = (try F.json(r)["directives"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == "determination" }
            XCTAssertEqual(sent.count, 1)
            let payload = try XCTUnwrap(sent.first?["payload"] as? [String: Any])
            XCTAssertEqual(payload["case_id"] as? String, "A-c1")
            XCTAssertEqual(payload["education_note"] as? String, "请在店铺首页亮照经营。")
            XCTAssertEqual(payload["decided_by"] as? String, "jinjiang-1")
            XCTAssertTrue((payload["issuer"] as? String ?? "").contains("510104"), "\(payload)")
            r = try await client.execute(uri: "/v1/admin/determinations/A/A-c1", method: .get, headers: F.admin)
            XCTAssertEqual(try F.json(r)["decision"] as? String, "no_penalty")

            // The queue: undecided only by default; all with the decided after.
            r = try await officer.get(client, "/console/determinations")
            XCTAssertFalse(F.text(r).contains(">A-c1<"), "decided: out of the default queue")
            r = try await officer.get(client, "/console/determinations?state=all&format=csv")
            let lines = F.text(r).split(separator: "\r\n").map(String.init)
            XCTAssertEqual(lines.count, 3, "\(lines)")
            XCTAssertTrue(lines[0].hasPrefix("\u{FEFF}案件编号,平台,统一社会信用代码"), lines[0])
            XCTAssertTrue(lines[1].hasPrefix("A-c3,A,\(S.jinjiang),RL-02,minor,"), "undecided first: \(lines)")
            XCTAssertTrue(lines[2].hasPrefix("A-c1,") && lines[2].hasSuffix(",不予行政处罚,jinjiang-1"), lines[2])
            r = try await officer.get(client, "/console/determinations?state=all&format=xlsx")
            let cells = try ConsoleExportTests.readBack(Array(r.body.readableBytesView))
            XCTAssertEqual(cells.map { $0.first ?? "" }, ["案件编号", "A-c3", "A-c1"])
            r = try await officer.get(client, "/console/determinations?state=some")
            XCTAssertEqual(r.status, .badRequest)

            // The auditor reads and decides nothing.
            var auditor = ConsoleBrowser()
            try await auditor.logIn(client, "auditor-1")
            r = try await auditor.get(client, "/console/determinations/A/A-c3")
            XCTAssertEqual(r.status, .ok)
            XCTAssertFalse(F.text(r).contains("id=\"form-decide\""), "no form for an auditor")
            r = try await auditor.post(client, "/console/determinations/A/A-c3",
                                       [("csrf", ConsoleBrowser.formToken(r) ?? ""), ("decision", "file_case")])
            XCTAssertEqual(r.status, .forbidden)

            // The refused look at another district's is audited as denied, with the case as subject.
            r = try await client.execute(uri: "/v1/admin/audit?actor=jinjiang-1", method: .get, headers: F.admin)
            let trail = try F.json(r)["entries"] as? [[String: Any]] ?? []
            XCTAssertTrue(trail.contains { $0["action"] as? String == "GET /console/determinations/{platform}/{case}"
                                           && $0["subject"] as? String == "A-c2" && $0["outcome"] as? String == "denied" }, "\(trail)")
            XCTAssertEqual(trail.filter { $0["action"] as? String == "POST /console/determinations/{platform}/{case}" }.count, 5)
        }
    }

    func testTheCityIsToldWhyAnEnterpriseWithAnEarlierCaseIsNotAFirstViolation() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await Self.seed(client)
            try await S.addStaff(client, "city-1", role: "city")
            var city = ConsoleBrowser()
            try await city.logIn(client, "city-1")
            var r = try await city.get(client, "/console/determinations")
            XCTAssertTrue(["A-c1", "A-c2", "A-c3"].allSatisfy(F.text(r).contains), "the city's queue is the whole city")
            r = try await city.get(client, "/console/determinations/A/A-c2?lang=en")
            let page = F.text(r)
            XCTAssertTrue(page.contains(#"<dd id="first-here"><strong>no</strong>"#), page)
            XCTAssertTrue(page.contains(#"<a href="/console/leads/B/B-c0">B/B-c0</a>"#), "the earlier case, linked")
            XCTAssertTrue(page.contains(#"value="may_not_penalize_applied" disabled"#))
            XCTAssertTrue(page.contains("Not a first violation"), "said in English")
            let token = try XCTUnwrap(ConsoleBrowser.formToken(r))
            r = try await city.post(client, "/console/determinations/A/A-c2", [("csrf", token), ("decision", "may_not_penalize_applied")])
            XCTAssertEqual(r.status, .conflict)
            r = try await city.post(client, "/console/determinations/A/A-c2", [("csrf", token), ("decision", "may_not_penalize_not_applied")])
            XCTAssertEqual(r.status, .seeOther, F.text(r))
            // Not penalising is not what was decided: nothing goes to the platform.
            r = try await client.execute(uri: "/v1/directives?after=0", method: .get, headers: F.bearer(F.tokens["A"]!))
            XCTAssertFalse((try F.json(r)["directives"] as? [[String: Any]] ?? []).contains { $0["type"] as? String == "determination" })
        }
    }
}
