import Foundation
import XCTest

/// The registration-exempt turnover summed across platforms (网络交易监督管理办法 art. 8; issue 13
/// correction 9), end to end: one person sells on two platforms, 60,000 and 50,000 CNY a year —
/// each shop within the 100,000 CNY limit, so neither agent finds anything alone. The regulator
/// sums them and tells both platforms; each agent verifies its shop again on the sum and reports
/// SMALL_SCALE_TURNOVER_OVER_LIMIT to its platform.
final class TurnoverSumEndToEndTests: SyncTestCase {
    static let header = "platform_merchant_id,shop_name,entity_type,uscc,registered_name,registered_address,displayed_address,"
        + "licence_displayed,category,small_scale_declared,annual_turnover_cny,verified_at,opened_at,status\n"

    static func person(_ id: String, address: String, turnover: String) -> String {
        "\(id),王五的小店,natural_person,,王五,\(address),\(address),是,general,是,\(turnover),2026-11-20,2025-01-01,active\n"
    }

    override func setUpWithError() throws {
        regulator = try RegulatorHarness()
        regulator.extraArguments = ["--turnover-interval-seconds", "1"]
        try regulator.start()
    }

    func findings(_ agent: AgentHarness, _ merchant: String) throws -> [String] {
        try agent.outboxLines(prefix: "verification-").filter { $0["platform_merchant_id"] as? String == merchant }
            .last.map { $0["current"] as? [String] ?? [] } ?? []
    }

    func testAPersonsShopsOnTwoPlatformsAreJudgedOnTheirSum() throws {
        let a = try makeAgent(platform: "platform-a"), b = try makeAgent(platform: "platform-b")
        try a.drop(text: Self.header + Self.person("wang-a", address: "成都市锦江区春熙路1号", turnover: "60000"), name: "merchants-1.csv")
        try b.drop(text: Self.header + Self.person("wang-b", address: "成都市锦江区 春熙路1号", turnover: "50000"), name: "merchants-1.csv")
        for agent in [a, b] {
            let r = try agent.run(["run", "--once", "--config", agent.configPath])
            XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
            XCTAssertFalse(try findings(agent, agent === a ? "wang-a" : "wang-b").contains("SMALL_SCALE_TURNOVER_OVER_LIMIT"),
                           "each shop alone is within the limit")
        }
        // The regulator's sweep (every second here) finds the person and tells both platforms.
        for (platform, token) in [("platform-a", "token-a"), ("platform-b", "token-b")] {
            try a.waitUntil(timeout: 30, "the turnover sum for \(platform)") {
                let d = try self.regulator.request("GET", "/v1/directives?after=0", token: token)
                return (d.json["directives"] as? [[String: Any]] ?? []).contains { $0["type"] as? String == "turnover" }
            }
        }
        for (agent, merchant) in [(a, "wang-a"), (b, "wang-b")] {
            let r = try agent.run(["run", "--once", "--config", agent.configPath])
            XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
            let current = try findings(agent, merchant)
            XCTAssertTrue(current.contains("SMALL_SCALE_TURNOVER_OVER_LIMIT"), "\(merchant): \(current)")
            let line = try XCTUnwrap(try agent.outboxLines(prefix: "verification-").last { $0["platform_merchant_id"] as? String == merchant })
            let finding = (line["opened"] as? [[String: Any]] ?? []).first { $0["code"] as? String == "SMALL_SCALE_TURNOVER_OVER_LIMIT" }
            XCTAssertTrue((finding?["message"] as? String ?? "").contains("合计110000元"), "\(line)")
            let instructionFiles = try agent.outboxFiles(prefix: "turnover-") + agent.outboxFiles(prefix: "directive-")
            XCTAssertTrue(instructionFiles.isEmpty, "the sum is no instruction: the platform reads the finding")
        }
    }
}
