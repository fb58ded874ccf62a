import Foundation
import Hummingbird

import SandboxCore
import SandboxPolicy
import XCTest
@testable import SandboxRegulator

/// The steps that restrict trade wait for an officer (issue 12): the queue of proposals per
/// jurisdiction, the longest waiting first; a decision once per proposal, with what it needs;
/// sent to the case's platform as a `confirmation` directive; every action audited.
final class ProposalsTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias P = PolicyItems
    typealias S = StaffAccessTests

    static func proposed(_ platform: String, _ id: String, uscc: String, merchant: String, state: String = "pending",
                         first: String, proposedAt: String? = nil, hash: String = "1") -> String {
        P.line("case", platform: platform, key: id, uscc: uscc, hash: hash, data: [
            "case_id": id, "rule_id": "RL-02", "rule_title": "未亮照经营", "severity": "general", "addressee": "merchant",
            "state": "overdue", "platform_merchant_id": merchant, "opened_at": "2026-07-01T00:00:00+08:00", "deadline": "2026-07-11",
            "lead": ["kind": "违法预警线索", "reason": "未在店铺首页亮照", "basis": "电子商务法第十五条",
                     "evidence": [["field": "finding", "found": "LICENCE_NOT_DISPLAYED", "source": "merchant"]]] as [String: Any],
            "steps": [] as [Any], "steps_issued": 1, "suspension_in_force": false,
            "proposal": ["step": 2, "kind": "suspend", "state": state, "first_proposed_at": first,
                         "proposed_at": proposedAt ?? first, "deferred_until": NSNull(),
                         "action": "平台应暂停为其提供网络交易平台服务", "basis": "电子商务法第三十六条"] as [String: Any],
        ])
    }

    /// The proposals' queue is kept per case and place (`lead_queue`, schema step `caseQueues`):
    /// a district reads its own range of it; a case item that changes the proposal's state moves
    /// it; a store from before the step gets the queue filled on open.
    func testTheProposalQueueIsKeptPerPlaceAndFilledOnOpen() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            var (status, _) = try await P.post(client, platform: "A", key: "p-1", [
                S.merchant("m1", uscc: S.jinjiang, region: "510104"),
                S.merchant("m2", uscc: S.wuhou, region: "510107"),
                S.merchant("m3", uscc: S.wuhou, region: "510104"),
                Self.proposed("A", "A-c2", uscc: S.jinjiang, merchant: "m1", first: "2026-07-22T00:00:00+08:00"),
                Self.proposed("A", "A-c1", uscc: S.jinjiang, merchant: "m1", first: "2026-07-20T00:00:00+08:00"),
                Self.proposed("A", "A-c3", uscc: S.wuhou, merchant: "m2", first: "2026-07-21T00:00:00+08:00"),
            ])
            XCTAssertEqual(status, .ok)
            let today = CivilDate(year: 2026, month: 8, day: 1)!
            @Sendable func queue(_ store: RegulatorStore, _ j: Jurisdiction, _ states: [CaseProposal.State] = [.pending]) async throws
                -> [String] {
                try await store.read { try $0.proposals(jurisdiction: j, states: states, today: today, limit: 10).map(\.caseID) }
            }
            var got = try await queue(f.store, .district("510104"))
            XCTAssertEqual(got, ["A-c1", "A-c3", "A-c2"], "registered here, or a storefront here (m3 of 武侯's enterprise)")
            got = try await queue(f.store, .district("510107"))
            XCTAssertEqual(got, ["A-c3"])
            got = try await queue(f.store, .everything)
            XCTAssertEqual(got, ["A-c1", "A-c3", "A-c2"])
            (status, _) = try await P.post(client, platform: "A", key: "p-2", [
                Self.proposed("A", "A-c1", uscc: S.jinjiang, merchant: "m1", state: "deferred", first: "2026-07-20T00:00:00+08:00",
                              hash: "2"),
            ])
            XCTAssertEqual(status, .ok)
            got = try await queue(f.store, .district("510104"))
            XCTAssertEqual(got, ["A-c3", "A-c2"], "deferred: out of the pending queue")
            got = try await queue(f.store, .district("510104"), [.pending, .deferred])
            XCTAssertEqual(got, ["A-c1", "A-c3", "A-c2"])
            try await f.store.write { s in
                try f.rewindSchema(s, toBefore: RegulatorSchema.caseQueuesVersion, PostgresSchema.caseQueuesVersion)
            }
            let reopened = try F.makeStore(folder: f.folder, postgres: f.postgres)
            defer { reopened.backend.close() }
            got = try await queue(reopened, .district("510104"), [.pending, .deferred])
            XCTAssertEqual(got, ["A-c1", "A-c3", "A-c2"], "filled on open")
            got = try await queue(reopened, .district("510107"))
            XCTAssertEqual(got, ["A-c3"])
        }
    }

    func testAnOfficerConfirmsDefersOrCancelsWithinTheDistrictAndTheDecisionReachesThePlatform() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            let (status, answer) = try await P.post(client, platform: "A", key: "p-1", [
                S.merchant("m1", uscc: S.jinjiang, region: "510104"),
                S.merchant("m2", uscc: S.wuhou, region: "510107"),
                Self.proposed("A", "A-c2", uscc: S.jinjiang, merchant: "m1", first: "2026-07-22T00:00:00+08:00"),
                Self.proposed("A", "A-c1", uscc: S.jinjiang, merchant: "m1", first: "2026-07-20T00:00:00+08:00"),
                Self.proposed("A", "A-c3", uscc: S.wuhou, merchant: "m2", first: "2026-07-20T00:00:00+08:00"),
            ])
            XCTAssertEqual(status, .ok)
            XCTAssertEqual(answer["accepted"] as? Int, 5, "\(answer)")
            try await S.addStaff(client, "jinjiang-1", role: "district", district: "510104")
            try await S.addStaff(client, "audit-1", role: "auditor")
            let officer = try await S.login(client, "jinjiang-1")
            let auditor = try await S.login(client, "audit-1")

            var r = try await client.execute(uri: "/v1/admin/proposals", method: .get, headers: officer)
            XCTAssertEqual(r.status, .ok, F.text(r))
            let queue = try F.json(r)["proposals"] as? [[String: Any]] ?? []
            XCTAssertEqual(queue.map { $0["case_id"] as? String }, ["A-c1", "A-c2"], "the district's own, the longest waiting first")
            XCTAssertEqual(queue.first?["kind"] as? String, "suspend")
            XCTAssertEqual(queue.first?["reason"] as? String, "未在店铺首页亮照")
            XCTAssertNotNil(queue.first?["evidence"] as? [Any], "the evidence goes with it")
            XCTAssertGreaterThan(queue.first?["waiting_days"] as? Int ?? -1, 0)

            func decide(_ path: String, _ json: String, _ headers: HTTPFields) async throws -> TestResponse {
                try await client.execute(uri: "/v1/admin/proposals/\(path)", method: .post, headers: headers,
                                         body: F.buffer(Array(json.utf8)))
            }
            r = try await decide("A/A-c3", #"{"decision":"confirm"}"#, officer)
            XCTAssertEqual(r.status, .notFound, "another district's case is not there for this officer")
            r = try await decide("A/A-c1", #"{"decision":"confirm"}"#, auditor)
            XCTAssertEqual(r.status, .forbidden, "an auditor decides nothing")
            r = try await decide("A/A-c1", #"{"decision":"cancel"}"#, officer)
            XCTAssertEqual(r.status, .conflict, "a cancellation needs its reason")
            r = try await decide("A/A-c1", #"{"decision":"defer","until":"2020-01-01","reason":"x"}"#, officer)
            XCTAssertEqual(r.status, .conflict, "a deferral to the past")
            r = try await decide("A/A-c1", #"{"decision":"maybe"}"#, officer)
            XCTAssertEqual(r.status, .badRequest)

            r = try await decide("A/A-c1", #"{"decision":"confirm"}"#, officer)
            XCTAssertEqual(r.status, .created, F.text(r))
            let decided = try F.json(r)
            XCTAssertEqual((decided["decision"] as? [String: Any])?["decision"] as? String, "confirm")
            XCTAssertEqual((decided["decision"] as? [String: Any])?["decided_by"] as? String, "jinjiang-1")
            r = try await decide("A/A-c1", #"{"decision":"cancel","reason":"改主意"}"#, officer)
            XCTAssertEqual(r.status, .conflict, "one decision per proposal")

            let later = CivilDate(unixTime: Timestamp.now()).adding(days: 7)
            r = try await decide("A/A-c2", #"{"decision":"defer","until":"\#(later)","reason":"约谈后给予一周"}"#, officer)
            XCTAssertEqual(r.status, .created, F.text(r))

            // Both reached platform A as confirmation directives naming the case and the step.
            r = try await client.execute(uri: "/v1/directives?after=0", method: .get, headers: F.bearer(F.tokens["A"]!))
            let sent = (try F.json(r)["directives"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == "confirmation" }
            XCTAssertEqual(sent.count, 2)
            let payloads = sent.compactMap { $0["payload"] as? [String: Any] }
            XCTAssertEqual(payloads.map { $0["case_id"] as? String }, ["A-c1", "A-c2"])
            XCTAssertEqual(payloads.map { $0["decision"] as? String }, ["confirm", "defer"])
            XCTAssertEqual(payloads[1]["until"] as? String, later.description)
            XCTAssertEqual(payloads[0]["step"] as? Int, 2)
            XCTAssertTrue((payloads[0]["issuer"] as? String ?? "").contains("510104"), "\(payloads[0])")
            XCTAssertEqual(sent.first?["platform_merchant_id"] as? String, "m1")

            // The agent reports the confirmation applied: it leaves the waiting queue.
            _ = try await P.post(client, platform: "A", key: "p-2", [
                Self.proposed("A", "A-c1", uscc: S.jinjiang, merchant: "m1", state: "confirmed", first: "2026-07-20T00:00:00+08:00",
                              hash: "2")])
            r = try await client.execute(uri: "/v1/admin/proposals", method: .get, headers: officer)
            let waiting = try F.json(r)["proposals"] as? [[String: Any]]
            XCTAssertEqual(waiting?.map { $0["case_id"] as? String }, ["A-c2"])
            XCTAssertEqual((waiting?.first?["decision"] as? [String: Any])?["decision"] as? String, "defer",
                           "the list carries each proposal's decision, as its own page does")
            r = try await client.execute(uri: "/v1/admin/proposals?state=confirmed", method: .get, headers: officer)
            XCTAssertEqual((try F.json(r)["proposals"] as? [[String: Any]])?.map { $0["case_id"] as? String }, ["A-c1"])

            // Proposed again after the deferral (a new proposed_at): a new decision may be taken.
            _ = try await P.post(client, platform: "A", key: "p-3", [
                Self.proposed("A", "A-c2", uscc: S.jinjiang, merchant: "m1", first: "2026-07-22T00:00:00+08:00",
                              proposedAt: "2026-07-29T00:00:00+08:00", hash: "3")])
            r = try await decide("A/A-c2", #"{"decision":"cancel","reason":"已立案查处"}"#, officer)
            XCTAssertEqual(r.status, .created, F.text(r))

            // Every decision and the refused attempts are in the audit trail.
            r = try await client.execute(uri: "/v1/admin/audit?actor=jinjiang-1", method: .get, headers: auditor)
            let trail = try F.json(r)["entries"] as? [[String: Any]] ?? []
            let posts = trail.filter { ($0["action"] as? String ?? "").hasPrefix("POST /v1/admin/proposals") }
            XCTAssertEqual(posts.count, 8, "\(posts.map { "\($0["outcome"] ?? "") \($0["status"] ?? "")" })")
            XCTAssertTrue(posts.contains { $0["outcome"] as? String == "denied" && $0["subject"] as? String == "A-c3" })
        }
    }
}

/// The console's page of proposals: the district's queue, one proposal with its evidence and the
/// three decision forms, a decision through the form (with its form token), none for an auditor.
final class ProposalsPageTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias P = PolicyItems
    typealias S = StaffAccessTests

    func testADistrictOfficerConfirmsASuspensionInTheConsole() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            _ = try await P.post(client, platform: "A", key: "p-1", [
                S.merchant("m1", uscc: S.jinjiang, region: "510104"), S.merchant("m2", uscc: S.wuhou, region: "510107"),
                ProposalsTests.proposed("A", "A-c1", uscc: S.jinjiang, merchant: "m1", first: "2026-07-20T00:00:00+08:00"),
                ProposalsTests.proposed("A", "A-c3", uscc: S.wuhou, merchant: "m2", first: "2026-07-20T00:00:00+08:00"),
            ])
            try await S.addStaff(client, "jinjiang-1", role: "district", district: "510104")
            try await S.addStaff(client, "auditor-1", role: "auditor")
            var officer = ConsoleBrowser()
            try await officer.logIn(client, "jinjiang-1")
            var r = try await officer.get(client, "/console/proposals")
            XCTAssertEqual(r.status, .ok, F.text(r))
            XCTAssertTrue(F.text(r).contains("A-c1") && !F.text(r).contains("A-c3"), "the district's own")
            XCTAssertTrue(F.text(r).contains("暂停服务"))
            r = try await officer.get(client, "/console/proposals/A/A-c3")
            XCTAssertEqual(r.status, .notFound)
            r = try await officer.get(client, "/console/proposals/A/A-c1")
            let page = F.text(r)
            XCTAssertTrue(page.contains("LICENCE_NOT_DISPLAYED"), "the evidence is shown")
            for form in ["form-confirm", "form-defer", "form-cancel"] { XCTAssertTrue(page.contains("id=\"\(form)\""), form) }
            let token = try XCTUnwrap(ConsoleBrowser.formToken(r))
            r = try await officer.post(client, "/console/proposals/A/A-c1", [("decision", "confirm")])
            XCTAssertEqual(r.status, .forbidden, "no form token")
            r = try await officer.post(client, "/console/proposals/A/A-c1", [("csrf", token), ("decision", "cancel")])
            XCTAssertEqual(r.status, .conflict, "a cancellation needs its reason")
            r = try await officer.post(client, "/console/proposals/A/A-c1", [("csrf", token), ("decision", "confirm")])
            XCTAssertEqual(r.status, .seeOther, F.text(r))
            r = try await officer.get(client, "/console/proposals/A/A-c1")
            XCTAssertTrue(F.text(r).contains("id=\"decided\""), F.text(r))
            XCTAssertFalse(F.text(r).contains("id=\"form-confirm\""), "decided once")

            var auditor = ConsoleBrowser()
            try await auditor.logIn(client, "auditor-1")
            r = try await auditor.get(client, "/console/proposals/A/A-c1")
            XCTAssertEqual(r.status, .ok)
            XCTAssertFalse(F.text(r).contains("<form method=\"post\" action=\"/console/proposals"), "an auditor decides nothing")
        }
    }
}
