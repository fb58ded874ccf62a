import Foundation
import SandboxAgent
import XCTest

/// Findings open, change and clear across files, as compliance staff see them in verification-*.
final class FindingsLifecycleEndToEndTests: XCTestCase {
    let header = "platform_merchant_id,shop_name,entity_type,uscc,registered_name,displayed_name,category,licence_displayed,verified_at\n"

    func testAFindingOpensInOneFileAndClearsInTheNext() throws {
        let h = try AgentHarness()
        try h.drop(text: header + "m-1,Shop,enterprise,91350100M000100Y43,甲公司,乙公司,general,是,2026-10-01\n",
                   name: "merchants-1.csv")
        try h.runOnce()
        var lines = try h.outboxLines(prefix: "verification-")
        XCTAssertEqual(lines.count, 1)
        let opened = try XCTUnwrap(lines[0]["opened"] as? [[String: Any]]).compactMap { $0["code"] as? String }
        XCTAssertEqual(opened, ["DISPLAYED_NAME_MISMATCH"])
        XCTAssertEqual(lines[0]["current"] as? [String], ["DISPLAYED_NAME_MISMATCH"])

        // The platform fixed the storefront: the finding clears, and only that is reported.
        try h.drop(text: header + "m-1,Shop,enterprise,91350100M000100Y43,甲公司,甲公司,general,是,2026-10-01\n",
                   name: "merchants-2.csv")
        try h.runOnce()
        lines = try h.outboxLines(prefix: "verification-")
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(lines[1]["cleared"] as? [String], ["DISPLAYED_NAME_MISMATCH"])
        XCTAssertEqual((lines[1]["opened"] as? [Any])?.count, 0)
        XCTAssertEqual(lines[1]["current"] as? [String], [])
        XCTAssertEqual(try h.status().int("merchants_with_findings"), 0)
    }

    func testTheSameMerchantTwiceInOneFileEndsWithTheLastRow() throws {
        let h = try AgentHarness()
        // Stored first without findings.
        try h.drop(text: header + "m-1,Shop,enterprise,91350100M000100Y43,甲公司,甲公司,general,是,2026-10-01\n",
                   name: "merchants-1.csv")
        try h.runOnce()
        // Then a file that breaks it and, further down, repairs it: the last row wins, and the
        // findings follow the rows in order (opened, then cleared), never the committed state.
        try h.drop(text: header
            + "m-1,Shop,enterprise,91350100M000100Y43,甲公司,乙公司,general,是,2026-10-01\n"
            + "m-2,Other,enterprise,914403001922038216,丙公司,丙公司,general,是,2026-10-01\n"
            + "m-1,Shop,enterprise,91350100M000100Y43,甲公司,甲公司,general,是,2026-10-01\n",
            name: "merchants-2.csv")
        let r = try h.runOnce()
        XCTAssertTrue(r.stdout.contains("3 accepted"), r.stdout)
        let lines = try h.outboxLines(prefix: "verification-").filter { $0["platform_merchant_id"] as? String == "m-1" }
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(lines.first?["current"] as? [String], ["DISPLAYED_NAME_MISMATCH"])
        XCTAssertEqual(lines.last?["cleared"] as? [String], ["DISPLAYED_NAME_MISMATCH"])
        let s = try h.status()
        XCTAssertEqual(s.int("merchants"), 2)
        XCTAssertEqual(s.int("merchants_with_findings"), 0)
    }

    func testAMerchantChangedTwiceInOneFileIsVerifiedAgainstItsEarlierRow() throws {
        let h = try AgentHarness()
        try h.drop(text: header + "m-1,Shop,enterprise,91350100M000100Y43,甲公司,甲公司,general,是,2026-10-01\n",
                   name: "merchants-1.csv")
        try h.runOnce()
        // Both later rows differ from the committed state; the second must be judged against the
        // first (its finding changes), not against what was committed before the file.
        try h.drop(text: header
            + "m-1,Shop,enterprise,91350100M000100Y43,甲公司,乙公司,general,是,2026-10-01\n"
            + "m-1,Shop,enterprise,91350100M000100Y43,甲公司,丁公司,general,是,2026-10-01\n",
            name: "merchants-2.csv")
        let r = try h.runOnce()
        XCTAssertTrue(r.stdout.contains("1 applied"), r.stdout)
        let lines = try h.outboxLines(prefix: "verification-")
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual((lines[0]["opened"] as? [[String: Any]])?.count, 1)
        let changed = try XCTUnwrap(lines[1]["changed"] as? [[String: Any]])
        XCTAssertEqual(changed.first?["code"] as? String, "DISPLAYED_NAME_MISMATCH")
        XCTAssertTrue((changed.first?["message"] as? String ?? "").contains("丁公司"), "\(changed)")
        XCTAssertEqual(try h.status().int("merchants_with_findings"), 1)
    }

    func testTheCalendarOpensFindingsThatNoExportChanged() throws {
        let h = try AgentHarness()
        // Verified by the platform on 2026-05-01, with a licence valid to 2026-11-10 (the licence
        // file arrives first, so the merchant is whole from the start).
        try h.drop(text: "platform_merchant_id,licence_type,licence_no,holder_name,valid_from,valid_to\n"
                   + "m-food,food_business,JY15101040012345,甲公司,2021-11-11,2026-11-10\n", name: "licences-1.csv")
        usleep(20_000)
        try h.drop(text: header + "m-food,Food,enterprise,91350100M000100Y43,甲公司,甲公司,food,是,2026-05-01\n",
                   name: "merchants-1.csv")
        let first = try h.run(["run", "--once", "--config", h.configPath, "--now", "2026-09-01"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(try h.outboxLines(prefix: "verification-").count, 0, "nothing is wrong on 2026-09-01")

        // Months later, no new export: the daily pass finds what the calendar changed.
        let later = try h.run(["run", "--once", "--config", h.configPath, "--now", "2026-11-20"])
        XCTAssertEqual(later.status, 0, later.stderr)
        XCTAssertTrue(later.stdout.contains("findings changed for 1 merchant"), later.stdout)
        let lines = try h.outboxLines(prefix: "verification-")
        XCTAssertEqual(lines.count, 1)
        XCTAssertEqual(lines[0]["trigger"] as? String, "calendar")
        XCTAssertTrue(lines[0]["source_file"] is NSNull)
        XCTAssertEqual(Set(lines[0]["current"] as? [String] ?? []), ["LICENCE_EXPIRED", "PLATFORM_VERIFICATION_OVERDUE"])

        // Once a day: the same day again changes nothing and reports nothing.
        let again = try h.run(["run", "--once", "--config", h.configPath, "--now", "2026-11-20"])
        XCTAssertFalse(again.stdout.contains("calendar re-verification"), again.stdout)
        XCTAssertEqual(try h.outboxLines(prefix: "verification-").count, 1)
    }

    /// Each day's re-verification takes only the merchants whose findings the calendar could
    /// have changed since (`reverify_on`, issue 16): the day a licence enters its last 30 days,
    /// the day after it ends, the day after the platform's six months.
    func testTheDailyReverificationTakesOnlyTheMerchantsDue() throws {
        let h = try AgentHarness()
        try h.drop(text: "platform_merchant_id,licence_type,licence_no,holder_name,valid_from,valid_to\n"
                   + "m-food,food_business,JY15101040012345,甲公司,2021-11-11,2026-11-10\n", name: "licences-1.csv")
        usleep(20_000)
        try h.drop(text: header + "m-food,Food,enterprise,91350100M000100Y43,甲公司,甲公司,food,是,2026-05-01\n"
                   + "m-plain,Plain,enterprise,914403001922038216,丙公司,丙公司,general,是,2026-08-01\n",
                   name: "merchants-1.csv")
        func day(_ d: String) throws -> AgentHarness.Result {
            let r = try h.run(["run", "--once", "--config", h.configPath, "--now", d])
            XCTAssertEqual(r.status, 0, r.stderr)
            return r
        }
        // The first day's re-verification runs before the files: nothing is stored yet. The
        // files store each merchant with its day, verified on ingest.
        XCTAssertTrue(try day("2026-09-01").stderr.contains("merchants_due=0"))
        // Nothing due the next day: no merchant is read again.
        XCTAssertTrue(try day("2026-09-02").stderr.contains("merchants_due=0"))
        XCTAssertEqual(try h.outboxLines(prefix: "verification-").count, 0)
        // 2026-10-11: the licence enters its last 30 days. Only m-food is due.
        XCTAssertTrue(try day("2026-10-12").stderr.contains("merchants_due=1"))
        var lines = try h.outboxLines(prefix: "verification-")
        XCTAssertEqual(lines.count, 1)
        XCTAssertEqual(lines.last?["platform_merchant_id"] as? String, "m-food")
        XCTAssertEqual(lines.last?["current"] as? [String], ["LICENCE_EXPIRING_SOON"])
        // 2026-11-02 the six months ran out, 2026-11-11 the licence: m-food again, not m-plain
        // (due 2027-02-02).
        XCTAssertTrue(try day("2026-11-20").stderr.contains("merchants_due=1"))
        lines = try h.outboxLines(prefix: "verification-")
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(Set(lines.last?["current"] as? [String] ?? []), ["LICENCE_EXPIRED", "PLATFORM_VERIFICATION_OVERDUE"])
        // m-plain's day comes: its own verification runs out.
        XCTAssertTrue(try day("2027-02-02").stderr.contains("merchants_due=1"))
        lines = try h.outboxLines(prefix: "verification-")
        XCTAssertEqual(lines.last?["platform_merchant_id"] as? String, "m-plain")
        XCTAssertEqual(lines.last?["current"] as? [String], ["PLATFORM_VERIFICATION_OVERDUE"])

        // Days stored under other date rules or numbers (an older agent, a changed policy) are not
        // trusted: every merchant is due once, even one whose stored day is far off; an unknown
        // day (a state from before the days) is due.
        do {
            let state = try AgentState(path: h.state.appendingPathComponent("agent.sqlite").path)
            try state.database.execute("""
                UPDATE merchants SET reverify_on = CASE platform_merchant_id WHEN 'm-food' THEN NULL ELSE '9999-12-31' END;
                UPDATE agent_meta SET value = 'date rules 0' WHERE key = 'calendar_reverification_basis';
                """)
        }
        XCTAssertTrue(try day("2027-02-03").stderr.contains("merchants_due=2"))
        XCTAssertTrue(try day("2027-02-04").stderr.contains("merchants_due=0"))
        let state = try AgentState(path: h.state.appendingPathComponent("agent.sqlite").path)
        XCTAssertEqual(try state.reverifyOn(merchantID: "m-food"), "9999-12-31", "nothing dated is left to turn")
    }

    func testALicenceFileReverifiesTheMerchantsItTouches() throws {
        let h = try AgentHarness()
        try h.drop(text: header + "m-food,Food,enterprise,91350100M000100Y43,甲公司,甲公司,food,是,2026-10-01\n",
                   name: "merchants-1.csv")
        try h.runOnce()
        var lines = try h.outboxLines(prefix: "verification-")
        XCTAssertEqual(lines.last?["current"] as? [String], ["LICENCE_MISSING"])

        try h.drop(text: "platform_merchant_id,licence_type,licence_no,holder_name,valid_from,valid_to\n"
                   + "m-food,food_business,JY15101040012345,甲公司,2025-01-01,2030-12-31\n", name: "licences-1.csv")
        try h.runOnce()
        lines = try h.outboxLines(prefix: "verification-")
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(lines.last?["source_file"] as? String, "licences-1.csv")
        XCTAssertEqual(lines.last?["cleared"] as? [String], ["LICENCE_MISSING"])
    }

    /// A file of more merchants than `LicenceRows.afterMerchants`: after that many, the
    /// look-ahead reads licences by their rows instead of through the index. Holders further
    /// down the file are still verified against their licences (one expired, one held by another
    /// name), and a food merchant without any still lacks one.
    func testLicencesAreLookedUpPastTheFilterOfHolders() throws {
        let h = try AgentHarness()
        let holders = [10, 16_500, 16_999]
        try h.drop(text: "platform_merchant_id,licence_type,licence_no,holder_name,valid_from,valid_to\n"
                   + "m-10,food_business,JY15101040000010,甲公司,2021-11-11,2030-11-10\n"
                   + "m-16500,food_business,JY15101040016500,甲公司,2021-11-11,2026-01-10\n"
                   + "m-16999,food_business,JY15101040016999,丁公司,2021-11-11,2030-11-10\n", name: "licences-1.csv")
        usleep(20_000)
        var rows = header
        for i in 0..<17_000 {
            let food = holders.contains(i) || i == 16_800
            rows += "m-\(i),Shop \(i),enterprise,91350100M000100Y43,甲公司,甲公司,\(food ? "food" : "general"),是,2026-10-01\n"
        }
        try h.drop(text: rows, name: "merchants-1.csv")
        let run = try h.runOnce()
        XCTAssertEqual(run.status, 0, run.stderr)
        var current: [String: [String]] = [:]
        for line in try h.outboxLines(prefix: "verification-") {
            current[line["platform_merchant_id"] as? String ?? ""] = line["current"] as? [String]
        }
        XCTAssertEqual(current, ["m-16500": ["LICENCE_EXPIRED"], "m-16800": ["LICENCE_MISSING"],
                                 "m-16999": ["LICENCE_HOLDER_MISMATCH"]])
    }
}
