import Foundation
import XCTest

/// The rule pack's `[verification]` numbers are the ones the agent verifies with (docs/policy.md
/// §2): the ingest, the daily re-verification, and at once when a pack brings other numbers.
final class VerificationPackEndToEndTests: XCTestCase {
    func testAPackThatAsksForMonthlyReverificationFindsTheMerchantsVerifiedBeforeThat() throws {
        let h = try AgentHarness()
        try h.writeConfig(extraConfig: "")
        for (_, url) in try h.generate(merchants: 600, seed: 11) { try h.drop(url) }
        let ingest = try h.run(["run", "--once", "--no-sync", "--config", h.configPath, "--now", "2026-07-01"])
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        let db = h.state.appendingPathComponent("agent.sqlite").path
        func overdue() throws -> Int {
            Int(try PolicyEndToEndTests.tool("/usr/bin/sqlite3", [
                db, "SELECT count(*) FROM findings WHERE code = 'PLATFORM_VERIFICATION_OVERDUE'",
            ]).out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
        func verifiedBefore(monthsBack: Int) throws -> Int {
            Int(try PolicyEndToEndTests.tool("/usr/bin/sqlite3", [
                db, "SELECT count(*) FROM merchants WHERE verified_at < date('2026-07-01', '-\(monthsBack) months')",
            ]).out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
        // Without a pack: the standard six months.
        let standard = try overdue()
        XCTAssertGreaterThan(standard, 0, "the generated export has merchants verified more than six months ago")
        XCTAssertGreaterThan(try verifiedBefore(monthsBack: 1), try verifiedBefore(monthsBack: 6),
                             "and more verified more than a month ago")

        // The same day, a pack that asks for a re-verification every month: the next run verifies
        // every merchant again under it, without waiting for the next day.
        let chengdu = try String(contentsOf: PolicyEndToEndTests.repositoryRoot.appendingPathComponent("rulepacks/chengdu-2026.1.toml"), encoding: .utf8)
        let monthly = chengdu.replacingOccurrences(of: "reverification_months = 6 ", with: "reverification_months = 1 ")
        XCTAssertNotEqual(monthly, chengdu)
        try h.writeConfig(extraConfig: try PolicyEndToEndTests.policySection(for: h, packText: monthly))
        let withPack = try h.run(["run", "--once", "--no-sync", "--config", h.configPath, "--now", "2026-07-01"])
        XCTAssertEqual(withPack.status, 0, withPack.stderr)
        XCTAssertTrue(withPack.stderr.contains("calendar re-verification") && withPack.stderr.contains("merchants_due=600"),
                      withPack.stderr)
        let monthlyOverdue = try overdue()
        XCTAssertGreaterThan(monthlyOverdue, standard, "a month's interval finds more merchants overdue than six months'")
        let basis = try PolicyEndToEndTests.tool("/usr/bin/sqlite3", [
            db, "SELECT value FROM agent_meta WHERE key = 'calendar_reverification_basis'",
        ]).out
        XCTAssertTrue(basis.contains("months 1;"), basis)

        // Unchanged numbers the next time: nothing verified again the same day.
        let again = try h.run(["run", "--once", "--no-sync", "--config", h.configPath, "--now", "2026-07-01"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertFalse(again.stderr.contains("calendar re-verification"), again.stderr)
        XCTAssertEqual(try overdue(), monthlyOverdue)

        // `check` on the same exports finds what the agent found: by the active pack's numbers
        // with `--config`, by the standard ones without.
        let files = try h.generate(merchants: 600, seed: 11).values.map(\.path).sorted()
        func checked(_ extra: [String]) throws -> (overdue: Int, stderr: String) {
            let r = try h.run(["check", "--json", "--now", "2026-07-01"] + extra + files)
            XCTAssertNotEqual(r.status, 78, r.stderr)
            return (r.stdout.components(separatedBy: "\"code\":\"PLATFORM_VERIFICATION_OVERDUE\"").count - 1, r.stderr)
        }
        let byPack = try checked(["--config", h.configPath])
        XCTAssertEqual(byPack.overdue, monthlyOverdue)
        XCTAssertTrue(byPack.stderr.contains("verifying by the numbers of rule pack chengdu-2026.1 (serial 1)"), byPack.stderr)
        let byStandard = try checked([])
        XCTAssertEqual(byStandard.overdue, standard)
        XCTAssertFalse(byStandard.stderr.contains("rule pack"), byStandard.stderr)
    }

    /// An agent without a pack: `check --config` says it verifies by the standard numbers.
    func testCheckWithAnAgentThatHasNoPackUsesTheStandardNumbersAndSaysSo() throws {
        let h = try AgentHarness()
        try h.writeConfig(extraConfig: "")
        let files = try h.generate(merchants: 50, seed: 3).values.map(\.path)
        let r = try h.run(["check", "--config", h.configPath, "--now", "2026-07-01"] + files)
        XCTAssertNotEqual(r.status, 78, r.stderr)
        XCTAssertTrue(r.stderr.contains("verifying by the standard numbers"), r.stderr)
        XCTAssertTrue(r.stdout.contains("merchants with findings"), r.stdout)
    }
}
