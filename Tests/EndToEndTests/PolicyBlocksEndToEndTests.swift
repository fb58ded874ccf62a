import Foundation
import XCTest

/// A pass whose outcome is handed over and written block by block (issue 16: a first pass at
/// 469,000 merchants held its whole outcome in memory) writes exactly what the whole pass wrote.
final class PolicyBlocksEndToEndTests: XCTestCase {
    /// Every row of every table (blobs as hex), the audit trail as exported, and the outbox's files.
    func written(_ h: AgentHarness) throws -> (tables: String, audit: String, files: [String: String]) {
        let db = h.state.appendingPathComponent("agent.sqlite").path
        let names = try PolicyEndToEndTests.tool("/usr/bin/sqlite3", [db, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"])
        var tables = ""
        for name in names.out.split(separator: "\n") {
            let rows = try PolicyEndToEndTests.tool("/usr/bin/sqlite3", ["-cmd", ".mode quote", db, "SELECT * FROM \"\(name)\" ORDER BY 1, 2"])
            XCTAssertEqual(rows.status, 0, rows.out)
            tables += "-- \(name)\n" + rows.out
        }
        let audit = try h.run(["audit", "--json", "--config", h.configPath])
        XCTAssertEqual(audit.status, 0, audit.stderr)
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: h.outbox.path) {
            files[name] = try String(contentsOf: h.outbox.appendingPathComponent(name), encoding: .utf8)
        }
        return (tables, audit.stdout, files)
    }

    func testAPassWrittenInBlocksOfMerchantsWritesWhatTheWholePassWrote() throws {
        let h = try AgentHarness()
        let policy = try PolicyEndToEndTests.policySection(for: h)
        // The exports applied first, without a pack (no pass), and the state kept.
        try h.writeConfig(extraConfig: "")
        for (_, url) in try h.generate(merchants: 600, seed: 11) { try h.drop(url) }
        let ingest = try h.run(["run", "--once", "--no-sync", "--config", h.configPath, "--now", "2026-07-01"])
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        let kept = h.root.appendingPathComponent("before-pack")
        try FileManager.default.createDirectory(at: kept, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: h.state, to: kept.appendingPathComponent("state"))
        try FileManager.default.copyItem(at: h.outbox, to: kept.appendingPathComponent("outbox"))

        // The pack's first pass and a pass twelve days later (deadlines run out: the ladder, the
        // carried columns), in one process; parts of `block` merchants, or the default (16,384:
        // one part per stage here).
        func passes(block: Int?) throws -> (tables: String, audit: String, files: [String: String]) {
            for folder in ["state", "outbox"] {
                let url = h.root.appendingPathComponent(folder)
                try? FileManager.default.removeItem(at: url)
                try FileManager.default.copyItem(at: kept.appendingPathComponent(folder), to: url)
            }
            try h.writeConfig(extraConfig: policy + (block.map { "\npass_block_merchants = \($0)\n" } ?? "\n"))
            let r = try h.run(["policy", "bench", "--config", h.configPath, "--now", "2026-07-01", "--passes", "2", "--days-apart", "12"])
            XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
            return try written(h)
        }
        let whole = try passes(block: nil)
        let blocks = try passes(block: 7)

        XCTAssertTrue(whole.tables.contains("\n'class',"), "class items were written")
        for kind in ["sandbox-", "guidance-", "prompt-"] {
            XCTAssertTrue(whole.files.keys.contains { $0.hasPrefix(kind) }, "the passes wrote \(kind)* lines")
        }
        XCTAssertEqual(whole.files.keys.sorted(), blocks.files.keys.sorted())
        for (name, text) in whole.files { XCTAssertEqual(text, blocks.files[name], name) }
        XCTAssertEqual(whole.audit, blocks.audit)
        let (a, b) = (whole.tables.split(separator: "\n"), blocks.tables.split(separator: "\n"))
        XCTAssertEqual(a.count, b.count)
        for (x, y) in zip(a, b) where x != y {
            XCTFail("first difference:\n\(x.prefix(300))\n\(y.prefix(300))")
            break
        }
    }
}
