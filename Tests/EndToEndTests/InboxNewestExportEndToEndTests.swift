import Foundation
import XCTest

/// The state follows the newest export: content identity never outranks order, an old export
/// dropped again by mistake is refused by its date, and exports of one kind are applied in the
/// order the platform dropped them, across a restart.
final class InboxNewestExportEndToEndTests: XCTestCase {
    static let header = "platform_merchant_id,shop_name,entity_type,uscc,registered_name,displayed_name,category,licence_displayed,verified_at,status\n"

    /// One merchant whose licence is shown (`是`) or not (`否`).
    static func export(licenceShown: Bool) -> String {
        header + "m-1,川味小馆,enterprise,91350100M000100Y43,甲公司,甲公司,general,\(licenceShown ? "是" : "否"),2026-10-01,active\n"
    }

    func withFindings(_ h: AgentHarness) throws -> Int? { try h.status().int("merchants_with_findings") }

    func testTheSameBytesAsAnOlderExportAreAppliedAsTheNewestSnapshot() throws {
        let h = try AgentHarness()
        try h.drop(text: Self.export(licenceShown: true), name: "merchants-a.csv")
        try h.runOnce()
        XCTAssertEqual(try withFindings(h), 0)
        try h.drop(text: Self.export(licenceShown: false), name: "merchants-b.csv")
        try h.runOnce()
        XCTAssertEqual(try withFindings(h), 1, "B hides the licence")
        // The merchant put the licence back: the export's bytes happen to equal A's.
        try h.drop(text: Self.export(licenceShown: true), name: "merchants-c.csv")
        let r = try h.runOnce()
        XCTAssertTrue(r.stdout.contains("1 applied"), r.stdout)
        XCTAssertEqual(try withFindings(h), 0, "the state must follow the newest export, not keep believing B")
        let notices = try h.outboxLines(prefix: "rejects-").filter { $0["type"] as? String == "file_reapplied" }
        XCTAssertEqual(notices.count, 1)
        XCTAssertEqual(notices.first?["file"] as? String, "merchants-c.csv")
        XCTAssertTrue((notices.first?["reason"] as? String ?? "").contains("merchants-a.csv"), "\(notices)")
        let cleared = try h.outboxLines(prefix: "verification-").last
        XCTAssertEqual(cleared?["source_file"] as? String, "merchants-c.csv")
        XCTAssertEqual(cleared?["cleared"] as? [String], ["LICENCE_NOT_DISPLAYED"])

        // Equal to the newest applied export: nothing would change, so it is skipped.
        try h.drop(text: Self.export(licenceShown: true), name: "merchants-d.csv")
        let again = try h.runOnce()
        XCTAssertTrue(again.stdout.contains("1 duplicate"), again.stdout)
        let duplicate = try h.outboxLines(prefix: "rejects-").filter { $0["type"] as? String == "file_duplicate" }
        XCTAssertEqual(duplicate.map { $0["file"] as? String }, ["merchants-d.csv"])
    }

    func testAnExportDatedBeforeTheNewestOfItsKindIsRefusedAsStale() throws {
        let h = try AgentHarness()
        try h.drop(text: Self.export(licenceShown: false), name: "merchants-shop-20261202.csv")
        try h.runOnce()
        XCTAssertEqual(try withFindings(h), 1)
        // Yesterday's export dropped again by mistake: applying it would roll the state back.
        try h.drop(text: Self.export(licenceShown: true), name: "merchants-shop-20261201.csv")
        let r = try h.runOnce()
        XCTAssertTrue(r.stdout.contains("1 failed"), r.stdout)
        XCTAssertEqual(try withFindings(h), 1, "a stale export changed the state")
        let stale = try XCTUnwrap(try h.outboxLines(prefix: "rejects-").first { $0["type"] as? String == "file_stale" })
        XCTAssertEqual(stale["file"] as? String, "merchants-shop-20261201.csv")
        XCTAssertTrue((stale["reason"] as? String ?? "").contains("merchants-shop-20261202.csv"), "\(stale)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: h.state.appendingPathComponent("failed").path))
        // The newest's own bytes under an older date are a duplicate, not a stale export.
        try h.drop(text: Self.export(licenceShown: false), name: "merchants-shop-20261130.csv")
        XCTAssertTrue(try h.runOnce().stdout.contains("1 duplicate"))
        // The same day, or a later one, is applied; so is a licences file (another kind) of any date.
        try h.drop(text: Self.export(licenceShown: true), name: "merchants-shop-20261202-evening.csv")
        XCTAssertTrue(try h.runOnce().stdout.contains("1 applied"))
        XCTAssertEqual(try withFindings(h), 0)
    }

    /// The crash test's finding: after a restart, the export already waiting in the inbox was
    /// applied after an update renamed in seconds later, and the state ended on the older values.
    func testAnExportDroppedBeforeARestartIsAppliedBeforeOneDroppedAfterIt() throws {
        let h = try AgentHarness(settleSeconds: 3, rescanSeconds: 1)
        var agent = try h.startService()
        try h.waitUntil("the agent started") { h.serviceLog.contains("agent started") }
        kill(agent.processIdentifier, SIGKILL)
        agent.waitUntilExit()

        // Dropped while the agent is down: found by the start-up scan, it waits out its settle time.
        try h.drop(text: Self.export(licenceShown: false), name: "merchants-older.csv")
        usleep(20_000)
        agent = try h.startService()
        defer { agent.terminate(); agent.waitUntilExit() }
        try h.waitUntil("the agent started again") { h.serviceLog.components(separatedBy: "agent started").count == 3 }
        // Renamed in after the restart: announced by inotify at once, yet it must wait its turn.
        try h.drop(text: Self.export(licenceShown: true), name: "merchants-newer.csv")
        try h.waitUntil("both files applied") { h.serviceLog.components(separatedBy: "file applied").count == 3 }

        let applied = h.serviceLog.split(separator: "\n").filter { $0.contains("file applied") }
        XCTAssertTrue(applied.first?.contains("merchants-older.csv") == true, "\(applied)")
        XCTAssertTrue(applied.last?.contains("merchants-newer.csv") == true, "\(applied)")
        XCTAssertEqual(try withFindings(h), 0, "the state holds the older export's values")
    }

    func testRecordsOfEmptyFieldsAreSkippedAndCounted() throws {
        let h = try AgentHarness()
        try h.drop(text: Self.header + ",,,,,,,,,\n"
                   + "m-1,川味小馆,enterprise,91350100M000100Y43,甲公司,甲公司,general,是,2026-10-01,active\n"
                   + "\n" + "\"\",,,,,,,,,\n",
                   name: "merchants-excel.csv")
        let r = try h.runOnce()
        XCTAssertTrue(r.stdout.contains("1 accepted, 0 rejected"), r.stdout)
        XCTAssertTrue(r.stderr.contains("empty_records=2"), r.stderr)
        let line = try XCTUnwrap(try h.outboxLines(prefix: "rejects-").first { $0["type"] as? String == "empty_records_skipped" })
        XCTAssertEqual(line["count"] as? Int, 2)
        XCTAssertEqual(line["lines"] as? [Int], [2, 5])
        XCTAssertEqual(line["file"] as? String, "merchants-excel.csv")
    }
}
