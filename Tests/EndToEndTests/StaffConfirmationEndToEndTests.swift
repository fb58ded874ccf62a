import Foundation
import XCTest

/// A suspension waits for a district officer (issue 12's acceptance), end to end with the real
/// binaries: the agent proposes the step when it falls due and writes no instruction; the
/// proposal reaches the regulator in the case item; a district officer of the enterprise's
/// district confirms it through the API; the confirmation reaches the agent as a directive; only
/// then is the suspend instruction written to the outbox. Days pass by `run --once --now DAY`.
final class StaffConfirmationEndToEndTests: SyncTestCase {
    typealias P = PolicyEndToEndTests
    /// 锦江区 (510104): registered there, so the 锦江 district bureau has jurisdiction.
    static let uscc = "91510104716105852E"

    func day(_ agent: AgentHarness, _ date: String) throws {
        let r = try agent.run(["run", "--once", "--config", agent.configPath, "--now", date])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
    }

    func json(_ object: [String: Any]) throws -> Data { try JSONSerialization.data(withJSONObject: object) }

    func testASuspensionIsProposedConfirmedByTheDistrictOfficerAndOnlyThenWritten() throws {
        let agent = try AgentHarness(platformID: "platform-a")
        let policy = try PolicyEndToEndTests.policySection(for: agent)
        try agent.writeConfig(extraConfig: try regulator.agentSection(agent) + "\n" + policy)
        try agent.drop(text: P.registryHeader + "\(Self.uscc),丙公司,张三,成都市锦江区一号,存续,否,否,2025\n", name: "registry-1.csv")
        try agent.drop(text: P.merchantHeader + P.merchant("m-stuck", Self.uscc, "丙公司", displayed: "否"), name: "merchants-1.csv")
        try day(agent, "2026-07-01")
        try day(agent, "2026-07-12")
        XCTAssertEqual(try agent.outboxLines(prefix: "warning-").count, 1, "the warning is the agent's own")

        // The suspension falls due: proposed, not written.
        try day(agent, "2026-07-20")
        XCTAssertTrue(try agent.outboxFiles(prefix: "suspend-").isEmpty, "no suspend instruction without an officer")

        // The district officer finds it in the queue, with the evidence, and confirms it.
        var a = try regulator.request("POST", "/v1/admin/staff", body: try json([
            "username": "jinjiang-1", "role": "district", "district": "510104", "password": "correct horse battery"]))
        XCTAssertEqual(a.status, 201, String(decoding: a.body, as: UTF8.self))
        a = try regulator.request("POST", "/v1/staff/login", token: nil,
                                  body: try json(["username": "jinjiang-1", "password": "correct horse battery"]))
        let officer = try XCTUnwrap(a.json["token"] as? String)
        a = try regulator.request("GET", "/v1/admin/proposals", token: officer)
        let queue = a.json["proposals"] as? [[String: Any]] ?? []
        XCTAssertEqual(queue.count, 1, String(decoding: a.body, as: UTF8.self))
        let proposal = try XCTUnwrap(queue.first)
        XCTAssertEqual(proposal["kind"] as? String, "suspend")
        XCTAssertEqual(proposal["platform_merchant_id"] as? String, "m-stuck")
        // Proposed by that day's pass. `--now` starts the agent's clock at the day's first second
        // and lets it run on, so the pass's instant is that second or a few after, as the machine's
        // load has it (a loaded CI run once saw 16:00:01).
        let proposed = try XCTUnwrap(proposal["first_proposed_at"] as? String)
        XCTAssertTrue(proposed.hasPrefix("2026-07-19T16:00:"), proposed)
        XCTAssertFalse((proposal["evidence"] as? [Any] ?? []).isEmpty, "\(proposal)")
        let caseID = try XCTUnwrap(proposal["case_id"] as? String)

        // Another district's officer cannot see it, and cannot confirm it.
        a = try regulator.request("POST", "/v1/admin/staff", body: try json([
            "username": "wuhou-1", "role": "district", "district": "510107", "password": "correct horse battery"]))
        a = try regulator.request("POST", "/v1/staff/login", token: nil,
                                  body: try json(["username": "wuhou-1", "password": "correct horse battery"]))
        let stranger = try XCTUnwrap(a.json["token"] as? String)
        a = try regulator.request("POST", "/v1/admin/proposals/platform-a/\(caseID)", token: stranger, body: try json(["decision": "confirm"]))
        XCTAssertEqual(a.status, 404)

        a = try regulator.request("POST", "/v1/admin/proposals/platform-a/\(caseID)", token: officer, body: try json(["decision": "confirm"]))
        XCTAssertEqual(a.status, 201, String(decoding: a.body, as: UTF8.self))

        // The agent pulls the confirmation (after its pass of the day): still nothing written.
        try day(agent, "2026-07-20")
        XCTAssertTrue(try agent.outboxFiles(prefix: "suspend-").isEmpty)
        XCTAssertTrue(try agent.outboxFiles(prefix: "confirmation-").isEmpty, "a decision is not an instruction file")
        XCTAssertTrue(try agent.outboxFiles(prefix: "directive-").isEmpty, "a decision is not an instruction file")

        // The next pass applies it: now the suspension is written, and the regulator hears so.
        try day(agent, "2026-07-21")
        let suspend = try XCTUnwrap(try agent.outboxLines(prefix: "suspend-").first)
        XCTAssertEqual(suspend["platform_merchant_id"] as? String, "m-stuck")
        XCTAssertEqual(suspend["step"] as? Int, 2)
        XCTAssertEqual(suspend["deadline"] as? String, "2026-08-20", "the next wait runs from the day it was issued")
        a = try regulator.request("GET", "/v1/admin/proposals/platform-a/\(caseID)", token: officer)
        XCTAssertEqual(a.json["state"] as? String, "confirmed", String(decoding: a.body, as: UTF8.self))
        XCTAssertEqual((a.json["decision"] as? [String: Any])?["decided_by"] as? String, "jinjiang-1")

        // The officer's decision and the stranger's attempt are in the audit trail; the agent's
        // own trail says who decided.
        a = try regulator.request("GET", "/v1/admin/audit?subject=\(caseID)")
        let trail = (a.json["entries"] as? [[String: Any]] ?? []).map { "\($0["actor"] ?? "") \($0["outcome"] ?? "")" }
        XCTAssertTrue(trail.contains("jinjiang-1 ok") && trail.contains("wuhou-1 denied"), "\(trail)")
        let audit = try agent.run(["audit", "--merchant", "m-stuck", "--config", agent.configPath])
        XCTAssertTrue(audit.stdout.contains("confirmation decision"), audit.stdout)
    }
}
