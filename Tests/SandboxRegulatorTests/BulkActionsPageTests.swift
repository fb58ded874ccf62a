import Foundation
import Hummingbird

import SandboxCore
import XCTest
@testable import SandboxRegulator

/// Bulk actions on the console's work queues: ticked rows, a preview that records and sends
/// nothing, and a confirm that does exactly the previewed rows through the API's own paths, one
/// by one and each audited; a row decided meanwhile is refused and the others go on; another
/// district's case slipped into the form is refused and audited as denied.
final class BulkActionsPageTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias P = PolicyItems
    typealias S = StaffAccessTests

    /// The `type` directives platform A has been sent so far.
    static func sent(_ client: some TestClientProtocol, _ type: String) async throws -> [[String: Any]] {
        let r = try await client.execute(uri: "/v1/directives?after=0", method: .get, headers: F.bearer(F.tokens["A"]!))
        return (try F.json(r)["directives"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == type }
    }

    func testADistrictConfirmsSeveralProposalsAndAssignsSeveralLeadsThroughAPreview() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            _ = try await P.post(client, platform: "A", key: "p-1", [
                S.merchant("m1", uscc: S.jinjiang, region: "510104"), S.merchant("m2", uscc: S.wuhou, region: "510107"),
                ProposalsTests.proposed("A", "A-c1", uscc: S.jinjiang, merchant: "m1", first: "2026-07-20T00:00:00+08:00"),
                ProposalsTests.proposed("A", "A-c2", uscc: S.jinjiang, merchant: "m1", first: "2026-07-21T00:00:00+08:00"),
                ProposalsTests.proposed("A", "A-c3", uscc: S.wuhou, merchant: "m2", first: "2026-07-20T00:00:00+08:00"),
            ])
            try await S.addStaff(client, "jinjiang-1", role: "district", district: "510104")
            try await S.addStaff(client, "jinjiang-2", role: "district", district: "510104")
            try await S.addStaff(client, "auditor-1", role: "auditor")
            var officer = ConsoleBrowser()
            try await officer.logIn(client, "jinjiang-1")
            var r = try await officer.get(client, "/console/proposals")
            var text = F.text(r)
            XCTAssertTrue(text.contains(#"<input type="checkbox" name="row" value="A/A-c1""#), text)
            XCTAssertTrue(text.contains(#"data-select-all="row""#) && !text.contains("value=\"A/A-c3\""), "its own rows, and select-all")
            let token = try XCTUnwrap(ConsoleBrowser.formToken(r))

            // The preview: exactly what each row will do; another district's row refused as never sent.
            r = try await officer.post(client, "/console/proposals/bulk/preview",
                                       [("csrf", token), ("row", "A/A-c1"), ("row", "A/A-c2"), ("row", "A/A-c3"), ("decision", "confirm")])
            XCTAssertEqual(r.status, .ok, F.text(r))
            text = F.text(r)
            XCTAssertTrue(text.contains("<td>A/A-c1</td>") && text.contains("confirmation → A"), text)
            XCTAssertTrue(text.contains("no proposed step on case A-c3 of platform A"), "refused like a case never sent")
            var confirmations = try await Self.sent(client, "confirmation")
            XCTAssertTrue(confirmations.isEmpty, "a preview sends nothing")
            let confirm = ConsoleBrowser.hiddenFields(r, form: "form-bulk-confirm")
            XCTAssertEqual(confirm.filter { $0.0 == "row" }.map(\.1), ["A/A-c1", "A/A-c2"], "the confirm does the rows previewed, no other")
            XCTAssertTrue(confirm.contains { $0 == ("decision", "confirm") })

            // Meanwhile someone else decides A-c2; the confirm refuses it and does A-c1.
            r = try await client.execute(uri: "/v1/admin/proposals/A/A-c2", method: .post, headers: F.admin,
                                         body: F.buffer(Array(#"{"decision":"cancel","reason":"已整改"}"#.utf8)))
            XCTAssertEqual(r.status, .created, F.text(r))
            r = try await officer.post(client, "/console/proposals/bulk", confirm)
            XCTAssertEqual(r.status, .ok, F.text(r))
            XCTAssertTrue(F.text(r).contains(#"<p id="bulk-summary">已办理: 1 · 未办理: 1</p>"#), F.text(r))
            XCTAssertTrue(F.text(r).contains("decided already"), "the reason it was refused")
            confirmations = try await Self.sent(client, "confirmation")
            XCTAssertEqual(confirmations.compactMap { ($0["payload"] as? [String: Any])?["case_id"] as? String }.sorted(), ["A-c1", "A-c2"])
            XCTAssertEqual(confirmations.first { ($0["payload"] as? [String: Any])?["case_id"] as? String == "A-c1" }
                .flatMap { ($0["payload"] as? [String: Any])?["decided_by"] as? String }, "jinjiang-1")

            // Another district's row slipped into the confirm: refused, audited as denied; nothing more sent.
            r = try await officer.post(client, "/console/proposals/bulk", [("csrf", token), ("row", "A/A-c3"), ("decision", "confirm")])
            XCTAssertTrue(F.text(r).contains("未办理: 1"), F.text(r))
            confirmations = try await Self.sent(client, "confirmation")
            XCTAssertEqual(confirmations.count, 2)
            let trail = try await f.store.read { try $0.staffAudit(actor: "jinjiang-1", subject: nil, since: nil, before: nil, limit: 100) }
            let rows = trail.filter { $0.action == "POST /console/proposals/bulk" && $0.subject != nil }
            XCTAssertEqual(rows.map { "\($0.subject ?? "") \($0.outcome)" }.sorted(), ["A-c1 ok", "A-c2 refused", "A-c3 denied"])
            XCTAssertTrue(trail.contains { $0.action == "POST /console/proposals/bulk/preview" && $0.subject == "A-c3" && $0.outcome == "denied" })

            // Limits and roles: nothing ticked, more than 200, a defer without its day, the auditor.
            r = try await officer.post(client, "/console/proposals/bulk/preview", [("csrf", token), ("decision", "confirm")])
            XCTAssertEqual(r.status, .badRequest)
            r = try await officer.post(client, "/console/proposals/bulk/preview",
                                       [("csrf", token), ("decision", "confirm")] + (1...201).map { ("row", "A/A-x\($0)") })
            XCTAssertEqual(r.status, .badRequest)
            XCTAssertTrue(F.text(r).contains("at most 200"), F.text(r))
            r = try await officer.post(client, "/console/proposals/bulk/preview",
                                       [("csrf", token), ("row", "A/A-c1"), ("decision", "defer"), ("reason", "x")])
            XCTAssertEqual(r.status, .badRequest)
            var auditor = ConsoleBrowser()
            try await auditor.logIn(client, "auditor-1")
            r = try await auditor.get(client, "/console/proposals")
            XCTAssertFalse(F.text(r).contains("form-bulk"), "no bulk form for the auditor")
            r = try await auditor.post(client, "/console/proposals/bulk",
                                       [("csrf", ConsoleBrowser.formToken(r) ?? ""), ("row", "A/A-c1"), ("decision", "confirm")])
            XCTAssertEqual(r.status, .forbidden)

            // The lead queue: two leads assigned to a colleague through the preview.
            r = try await officer.get(client, "/console/leads")
            XCTAssertTrue(F.text(r).contains("value=\"A/A-c1\"") && F.text(r).contains("id=\"assignee-bulk\""), F.text(r))
            r = try await officer.post(client, "/console/leads/bulk/preview",
                                       [("csrf", token), ("row", "A/A-c1"), ("row", "A/A-c2"), ("assignee", "jinjiang-2")])
            XCTAssertEqual(r.status, .ok, F.text(r))
            var lead = try await f.store.read { try $0.lead(platformID: "A", caseID: "A-c1", today: LeadsController.today()) }
            XCTAssertNil(lead?.assignee, "the preview assigns nothing")
            r = try await officer.post(client, "/console/leads/bulk", ConsoleBrowser.hiddenFields(r, form: "form-bulk-confirm"))
            XCTAssertTrue(F.text(r).contains("已办理: 2 · 未办理: 0"), F.text(r))
            for id in ["A-c1", "A-c2"] {
                lead = try await f.store.read { try $0.lead(platformID: "A", caseID: id, today: LeadsController.today()) }
                XCTAssertEqual(lead?.assignee, "jinjiang-2", id)
            }
            r = try await officer.post(client, "/console/leads/bulk/preview", [("csrf", token), ("row", "A/A-c1"), ("assignee", "auditor-1")])
            XCTAssertEqual(r.status, .badRequest, "the API's check of the assignee")
        }
    }

    func testBulkArt33DecisionsShowWhichRowsTheRuleRefuses() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await DeterminationsPageTests.seed(client)
            try await S.addStaff(client, "jinjiang-1", role: "district", district: "510104")
            var officer = ConsoleBrowser()
            try await officer.logIn(client, "jinjiang-1")
            var r = try await officer.get(client, "/console/determinations")
            XCTAssertTrue(F.text(r).contains("value=\"A/A-c1\"") && F.text(r).contains("value=\"A/A-c3\""), F.text(r))
            let token = try XCTUnwrap(ConsoleBrowser.formToken(r))
            r = try await officer.post(client, "/console/determinations/bulk/preview",
                                       [("csrf", token), ("row", "A/A-c1"), ("row", "A/A-c3"), ("decision", "no_penalty"), ("note", "请亮照经营。")])
            XCTAssertEqual(r.status, .ok, F.text(r))
            let text = F.text(r)
            XCTAssertTrue(text.contains("determination → A: 请亮照经营。"), text)
            XCTAssertTrue(text.contains("不予行政处罚须以“不予行政处罚”建议为前提"), "A-c3's refusal and why")
            let none = try await Self.sent(client, "determination")
            XCTAssertTrue(none.isEmpty, "a preview sends nothing")
            let confirm = ConsoleBrowser.hiddenFields(r, form: "form-bulk-confirm")
            XCTAssertEqual(confirm.filter { $0.0 == "row" }.map(\.1), ["A/A-c1"])
            r = try await officer.post(client, "/console/determinations/bulk", confirm)
            XCTAssertTrue(F.text(r).contains("已办理: 1 · 未办理: 0"), F.text(r))
            let sent = try await Self.sent(client, "determination")
            XCTAssertEqual(sent.count, 1)
            XCTAssertEqual((sent.first?["payload"] as? [String: Any])?["education_note"] as? String, "请亮照经营。")
            // The same form sent by hand with A-c3: the rule refuses it at the confirm too.
            r = try await officer.post(client, "/console/determinations/bulk",
                                       [("csrf", token), ("row", "A/A-c3"), ("decision", "no_penalty")])
            XCTAssertTrue(F.text(r).contains("未办理: 1"), F.text(r))
            r = try await client.execute(uri: "/v1/admin/determinations/A/A-c3", method: .get, headers: F.admin)
            XCTAssertNil(try F.json(r)["decision"] as? String, "undecided")
        }
    }

    /// A long queue of proposals is worked a page of 100 at a time, the longest waiting first;
    /// the next page starts where this one ended, and the download holds them all.
    func testTheProposalsQueueIsPagedByTheHundred() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            var lines = [S.merchant("m1", uscc: S.jinjiang, region: "510104")]
            for i in 0..<105 {
                lines.append(ProposalsTests.proposed("A", String(format: "A-c%03d", i), uscc: S.jinjiang, merchant: "m1",
                                                     first: String(format: "2026-07-%02dT%02d:00:00+08:00", 1 + i / 24, i % 24)))
            }
            _ = try await P.post(client, platform: "A", key: "p-long", lines)
            try await S.addStaff(client, "jinjiang-1", role: "district", district: "510104")
            var officer = ConsoleBrowser()
            try await officer.logIn(client, "jinjiang-1")
            var r = try await officer.get(client, "/console/proposals")
            var text = F.text(r)
            XCTAssertTrue(text.contains("value=\"A/A-c000\"") && text.contains("value=\"A/A-c099\""), "the first hundred")
            XCTAssertFalse(text.contains("value=\"A/A-c100\""))
            XCTAssertTrue(text.contains("offset=100"), "a link to the next page")
            r = try await officer.get(client, "/console/proposals?offset=100")
            text = F.text(r)
            XCTAssertTrue(text.contains("value=\"A/A-c100\"") && text.contains("value=\"A/A-c104\""))
            XCTAssertFalse(text.contains("value=\"A/A-c099\"") || text.contains("rel=\"next\""), "the rest, and no further page")
            r = try await officer.get(client, "/console/proposals?format=csv")
            XCTAssertEqual(F.text(r).split(whereSeparator: \.isNewline).count, 106, "the download holds every one, with its header line")
        }
    }
}
