import Foundation
import SandboxAgent
import XCTest

/// "Why was this merchant suspended?" is one command: the findings the agent opened, the
/// regulator's suspend directive and the platform's receipt, in order, with the evidence.
final class AuditEndToEndTests: SyncTestCase {
    func testTheAuditTrailAnswersWhyAMerchantWasSuspended() throws {
        let agent = try makeAgent()
        let files = try agent.generate(merchants: 200, seed: 9)
        for kind in ["registry", "licences", "merchants"] { try agent.drop(try XCTUnwrap(files[kind])) }
        try agent.runOnce()
        let report = try XCTUnwrap(try agent.outboxLines(prefix: "verification-").first { !(($0["opened"] as? [Any]) ?? []).isEmpty })
        let merchant = try XCTUnwrap(report["platform_merchant_id"] as? String)
        let codes = ((report["opened"] as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String }

        let id = try regulator.createDirective(platform: "platform-a", type: "suspend", merchantID: merchant,
                                               uscc: report["uscc"] as? String,
                                               payload: ["reason": "逾期未整改", "basis": "《电子商务法》第十五条"])
        try agent.runOnce()
        try agent.drop(text: "receipt_id,instruction_id,platform_merchant_id,action,at,note\nrc-9,\(id),\(merchant),executed,2026-11-21 09:30,已暂停\n",
                       name: "receipts-platform-a-9.csv")
        try agent.runOnce()

        let text = try agent.run(["audit", "--merchant", merchant, "--config", agent.configPath])
        XCTAssertEqual(text.status, 0, text.stderr)
        let lines = text.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, text.stdout)
        XCTAssertTrue(lines[0].contains("findings_changed") && lines[0].contains("opened " + codes.joined(separator: ", ")), lines[0])
        XCTAssertTrue(lines[1].contains("regulator") && lines[1].contains("suspend instruction \(id): 逾期未整改"), lines[1])
        XCTAssertTrue(lines[2].contains("platform") && lines[2].contains("receipt rc-9 for instruction \(id): executed"), lines[2])

        let json = try agent.run(["audit", "--merchant", merchant, "--json", "--config", agent.configPath])
        let events = try json.stdout.split(separator: "\n").map { try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        XCTAssertEqual(events.map { $0["kind"] as? String }, ["findings_changed", "directive", "receipt"])
        let evidence = (((events[0]["record"] as? [String: Any])?["opened"] as? [[String: Any]])?.first?["evidence"] as? [Any]) ?? []
        XCTAssertFalse(evidence.isEmpty, "the findings event carries the evidence")
        XCTAssertEqual((events[1]["record"] as? [String: Any])?["basis"] as? String, "《电子商务法》第十五条")
        XCTAssertTrue(events.allSatisfy { $0["rule_pack"] as? String != nil && $0["at"] as? String != nil })

        XCTAssertTrue(try agent.run(["audit", "--since", "2099-01-01", "--config", agent.configPath]).stdout.isEmpty)
        XCTAssertGreaterThan(try agent.run(["audit", "--config", agent.configPath]).stdout.split(separator: "\n").count, 3)

        // Append-only: the database itself refuses to rewrite history.
        let state = try AgentState(path: agent.root.appendingPathComponent("state/agent.sqlite").path)
        XCTAssertThrowsError(try state.database.execute("DELETE FROM audit_chunks"))
        XCTAssertThrowsError(try state.database.execute("UPDATE audit_chunks SET count = 0"))
    }

    /// Issue 17 item 9: directive fields come from the regulator; printed raw, a newline in one
    /// forged a whole audit line, and an ESC sequence could rewrite the operator's terminal.
    func testAuditTextEscapesControlCharactersFromTheRegulator() throws {
        let agent = try makeAgent()
        let forged = "2026-11-20T00:00:00Z  regulator  directive         m-x  reinstate instruction forged"
        _ = try regulator.createDirective(platform: "platform-a", type: "warning", merchantID: "m-1\u{1B}[2J",
                                          payload: ["reason": "逾期\n" + forged + "\r\u{7}\u{9B}31m"])
        try agent.runOnce()
        let text = try agent.run(["audit", "--config", agent.configPath])
        XCTAssertEqual(text.status, 0, text.stderr)
        let lines = text.stdout.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        XCTAssertEqual(lines.count, 1, "one directive, one line: \(text.stdout)")
        XCTAssertFalse(lines.contains { $0.hasPrefix("2026-11-20T00:00:00Z") }, "a forged audit line")
        XCTAssertFalse(text.stdout.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || (0x7F...0x9F).contains($0.value) },
                       "control characters reached the terminal: \(text.stdout.debugDescription)")
        XCTAssertTrue(text.stdout.contains(#"m-1\u{1B}[2J"#), text.stdout)
        XCTAssertTrue(text.stdout.contains(#"逾期\n2026-11-20T00:00:00Z"#), text.stdout)
        // --json is JSON: its escaping was always right, and stays as it is.
        let json = try agent.run(["audit", "--json", "--config", agent.configPath])
        let event = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(event["platform_merchant_id"] as? String, "m-1\u{1B}[2J")
    }
}
