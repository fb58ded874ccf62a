import Foundation
import SandboxCore
import TestSupport
import XCTest

/// Rule packs distributed by the regulator (docs/policy.md §2.6): published signed, fetched and
/// verified by the agent, stamped on what it sends; a pack the agent cannot trust is refused with
/// one alert and the last good pack stays; with the regulator down the stored pack goes on.
final class PolicyDistributionEndToEndTests: XCTestCase {
    typealias P = PolicyEndToEndTests

    static func publish(_ regulator: RegulatorHarness, pack: URL) throws -> Int {
        let signature = try String(contentsOf: pack.appendingPathExtension("sig"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ")
        let body: [String: Any] = ["content": try Data(contentsOf: pack).base64EncodedString(),
                                   "key_id": String(signature[1]), "signature": String(signature[2])]
        return try regulator.request("POST", "/v1/admin/rulepack", body: try JSONSerialization.data(withJSONObject: body)).status
    }

    func testTheAgentTakesTheRegulatorsSignedPackRefusesAnUntrustedOneAndKeepsItsPackOffline() throws {
        let regulatorBinary = RegulatorHarness.binary.path
        let agent = try AgentHarness(platformID: "platform-a")
        let regulator = try RegulatorHarness()
        // The regulator's signing key, trusted by the agent; a second key the agent does not know.
        let key = agent.root.appendingPathComponent("key").path
        let rogue = agent.root.appendingPathComponent("rogue").path
        XCTAssertEqual(try P.tool(regulatorBinary, ["rulepack", "keygen", "--out", key]).status, 0)
        XCTAssertEqual(try P.tool(regulatorBinary, ["rulepack", "keygen", "--out", rogue]).status, 0)
        let both = agent.root.appendingPathComponent("regulator-keys")
        try (try String(contentsOfFile: key + ".pub", encoding: .utf8) + String(contentsOfFile: rogue + ".pub", encoding: .utf8))
            .write(to: both, atomically: true, encoding: .utf8)
        regulator.rulepackKeys = both.path
        try regulator.start()
        try agent.writeConfig(extraConfig: try regulator.agentSection(agent) + """

            [policy]
            pack_id = "chengdu"
            trusted_keys_file = "key.pub"
            """)
        let text = try String(contentsOf: P.repositoryRoot.appendingPathComponent("rulepacks/chengdu-2026.1.toml"), encoding: .utf8)
        let pack1 = agent.root.appendingPathComponent("chengdu-1.toml")
        try text.write(to: pack1, atomically: true, encoding: .utf8)
        XCTAssertEqual(try P.tool(regulatorBinary, ["rulepack", "sign", pack1.path, "--key", key]).status, 0)
        XCTAssertEqual(try Self.publish(regulator, pack: pack1), 201)

        try agent.drop(text: P.registryHeader + "91350100M000100Y43,甲公司,张三,成都市锦江区一号,存续,否,否,2025\n", name: "registry-1.csv")
        try agent.drop(text: P.merchantHeader + P.merchant("m-1", "91350100M000100Y43", "甲公司", displayed: "否"), name: "merchants-1.csv")
        var r = try agent.run(["run", "--once", "--config", agent.configPath, "--now", "2026-07-01"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("rule pack chengdu-2026.1 serial 1 activated"), r.stdout)
        XCTAssertTrue(r.stdout.contains("policy chengdu-2026.1: 1 merchant(s)"), r.stdout)
        // The lead, the class and the guidance reached the regulator, stamped with the pack.
        let byType = try XCTUnwrap(try regulator.stats()["records_by_type"] as? [String: Any])
        for type in ["case", "class", "instruction"] {
            XCTAssertEqual((byType[type] as? NSNumber)?.intValue, 1, "\(type): \(byType)")
        }
        XCTAssertTrue(try agent.outboxLines(prefix: "alert-").isEmpty, "the regulator took every policy item")

        // Serial 2 signed by a key the regulator accepts but this agent does not trust.
        let pack2 = agent.root.appendingPathComponent("chengdu-2.toml")
        try text.replacingOccurrences(of: "serial = 1 ", with: "serial = 2 ").replacingOccurrences(of: "version = \"2026.1\"", with: "version = \"2026.2\"")
            .write(to: pack2, atomically: true, encoding: .utf8)
        XCTAssertEqual(try P.tool(regulatorBinary, ["rulepack", "sign", pack2.path, "--key", rogue]).status, 0)
        XCTAssertEqual(try Self.publish(regulator, pack: pack2), 201)
        r = try agent.run(["run", "--once", "--config", agent.configPath, "--now", "2026-07-02"])
        XCTAssertTrue(r.stdout.contains("rule pack refused: "), r.stdout)
        XCTAssertTrue(r.stdout.contains("signature does not verify with any trusted key"), r.stdout)
        XCTAssertTrue(r.stdout.contains("policy chengdu-2026.1: "), "the last good pack decides: \(r.stdout)")
        let alerts = try agent.outboxLines(prefix: "alert-").filter { $0["type"] as? String == "rulepack_refused" }
        XCTAssertEqual(alerts.count, 1)
        // Asked again: the same refused pack is not alerted twice.
        r = try agent.run(["run", "--once", "--config", agent.configPath, "--now", "2026-07-03"])
        XCTAssertEqual(try agent.outboxLines(prefix: "alert-").filter { $0["type"] as? String == "rulepack_refused" }.count, 1)

        // The regulator is down: the stored pack still decides (the warning after the deadline).
        regulator.kill9()
        r = try agent.run(["run", "--once", "--config", agent.configPath, "--now", "2026-07-12"])
        XCTAssertTrue(r.stdout.contains("policy chengdu-2026.1: "), r.stdout + r.stderr)
        XCTAssertEqual(try agent.outboxLines(prefix: "warning-").count, 1)
    }

    func testARegulatorRemovalByUSCCReachesTheAgentAndHoldsTheMerchantOut() throws {
        let agent = try AgentHarness(platformID: "platform-a")
        let regulator = try RegulatorHarness()
        // The regulator on the agent's days (its clock file), so its 30-day hold ends when the
        // agent's does: on the machine's clock the regulator still held the enterprise out on
        // "2026-08-02", and whether its verdict reached the agent within that run was a race.
        let clock = regulator.folder.appendingPathComponent("clock")
        func day(_ text: String) throws {
            try Data("\(text)T12:00:00+08:00\n".utf8).write(to: clock, options: .atomic)
        }
        try day("2026-07-01")
        regulator.extraArguments = ["--clock-file", clock.path]
        let regulatorBinary = RegulatorHarness.binary.path
        let key = agent.root.appendingPathComponent("key").path
        XCTAssertEqual(try P.tool(regulatorBinary, ["rulepack", "keygen", "--out", key]).status, 0)
        regulator.rulepackKeys = key + ".pub"
        try regulator.start()
        try agent.writeConfig(extraConfig: try regulator.agentSection(agent) + """

            [policy]
            pack_id = "chengdu"
            trusted_keys_file = "key.pub"
            """)
        let pack = agent.root.appendingPathComponent("chengdu.toml")
        try String(contentsOf: P.repositoryRoot.appendingPathComponent("rulepacks/chengdu-2026.1.toml"), encoding: .utf8)
            .write(to: pack, atomically: true, encoding: .utf8)
        XCTAssertEqual(try P.tool(regulatorBinary, ["rulepack", "sign", pack.path, "--key", key]).status, 0)
        XCTAssertEqual(try Self.publish(regulator, pack: pack), 201)
        // Registered in Chengdu (锦江区): the regulator admits 本地企业 only (the pack's local_divisions).
        let uscc = TestUSCC.valid(region: "510104", body: "MA6CJJ01")
        try agent.drop(text: P.registryHeader + "\(uscc),甲公司,张三,成都市锦江区一号,存续,否,否,2025\n", name: "registry-1.csv")
        try agent.drop(text: P.merchantHeader + P.merchant("m-1", uscc, "甲公司", displayed: "是"), name: "merchants-1.csv")
        var r = try agent.run(["run", "--once", "--config", agent.configPath, "--now", "2026-07-01"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(try agent.outboxLines(prefix: "sandbox-").first?["decision"] as? String, "admitted")
        // The regulator decides per enterprise: its only platform proposes it and rates it A.
        var roster = try regulator.request("GET", "/v1/admin/roster?uscc=\(uscc)").json
        XCTAssertEqual((roster["entries"] as? [[String: Any]])?.first?["member"] as? Bool, true, "\(roster)")

        // Staff remove the enterprise, holding it out for 30 days: one directive per platform.
        let body = try JSONSerialization.data(withJSONObject: ["action": "remove", "reason": "抽查发现问题", "hold_days": 30])
        XCTAssertEqual(try regulator.request("POST", "/v1/admin/roster/\(uscc)", body: body).status, 201)
        try day("2026-07-02")
        r = try agent.run(["run", "--once", "--config", agent.configPath, "--now", "2026-07-02"])   // receives it
        r = try agent.run(["run", "--once", "--config", agent.configPath, "--now", "2026-07-02"])   // applies it
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let members = try agent.run(["report", "roster", "--json", "--config", agent.configPath])
        XCTAssertFalse(members.stdout.contains("m-1"), members.stdout)
        let audit = try agent.run(["audit", "--merchant", "m-1", "--config", agent.configPath])
        XCTAssertTrue(audit.stdout.contains("roster_removed"), audit.stdout)
        XCTAssertTrue(audit.stdout.contains("regulator directive"), audit.stdout)
        roster = try regulator.request("GET", "/v1/admin/roster?uscc=\(uscc)").json
        XCTAssertEqual((roster["entries"] as? [[String: Any]])?.first?["member"] as? Bool, false, "\(roster)")
        // The hold keeps it out although every admission criterion holds; it ends after 30 days.
        try day("2026-07-20")
        r = try agent.run(["run", "--once", "--config", agent.configPath, "--now", "2026-07-20"])
        XCTAssertFalse(try agent.run(["report", "roster", "--json", "--config", agent.configPath]).stdout.contains("m-1"))
        try day("2026-08-02")
        // The agent's own hold ends that day, but the regulator's verdict decides: its keeper
        // re-decides the enterprise when the hold's recheck falls due on its clock (a second's
        // idle at most, longer on a loaded machine) and the verdict reaches the agent on its
        // next run. A running agent runs again within seconds; so does this one, for up to 20 s.
        try agent.waitUntil(timeout: 20, "m-1 readmitted on 2026-08-02 once the regulator's hold has ended") {
            _ = try agent.run(["run", "--once", "--config", agent.configPath, "--now", "2026-08-02"])
            return try agent.run(["report", "roster", "--json", "--config", agent.configPath]).stdout.contains("m-1")
        }
    }
}
