import Foundation
import XCTest

/// A pass whose outcome is handed over and written block by block (issue 16: a first pass at
/// 469,000 merchants held its whole outcome in memory) writes exactly what the whole pass wrote;
/// and so does a pass whose engine and rendering run on threads of their own (one for both, or
/// one each), handing their writes over in chunks to the thread that writes them
/// (`policy.pass_threads` 2, or 3, the default).
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

    /// An agent with 600 generated merchants applied without a pack (no pass yet), and the
    /// `[policy]` section that turns the pack on.
    func ingested() throws -> (AgentHarness, policy: String) {
        let h = try AgentHarness()
        let policy = try PolicyEndToEndTests.policySection(for: h)
        try h.writeConfig(extraConfig: "")
        for (_, url) in try h.generate(merchants: 600, seed: 11) { try h.drop(url) }
        let ingest = try h.run(["run", "--once", "--no-sync", "--config", h.configPath, "--now", "2026-07-01"])
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        return (h, policy)
    }

    func testAPassWrittenInBlocksOfMerchantsWritesWhatTheWholePassWrote() throws {
        // The exports applied first, without a pack (no pass), and the state kept.
        let (h, policy) = try ingested()
        let kept = h.root.appendingPathComponent("before-pack")
        try FileManager.default.createDirectory(at: kept, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: h.state, to: kept.appendingPathComponent("state"))
        try FileManager.default.copyItem(at: h.outbox, to: kept.appendingPathComponent("outbox"))

        // The pack's first pass and a pass twelve days later (deadlines run out: the ladder, the
        // carried columns), in one process; parts of `block` merchants, or the default (16,384:
        // one part per stage here, its 600 class decisions two chunks of writes); on the
        // pipeline's thread alone (`threads` 1), with the pass's own thread (2), or with the engine
        // and the renderer on one each (3).
        func passes(block: Int?, threads: Int) throws -> (tables: String, audit: String, files: [String: String]) {
            for folder in ["state", "outbox"] {
                let url = h.root.appendingPathComponent(folder)
                try? FileManager.default.removeItem(at: url)
                try FileManager.default.copyItem(at: kept.appendingPathComponent(folder), to: url)
            }
            try h.writeConfig(extraConfig: policy + (block.map { "\npass_block_merchants = \($0)" } ?? "")
                                + "\npass_threads = \(threads)\n")
            let r = try h.run(["policy", "bench", "--config", h.configPath, "--now", "2026-07-01", "--passes", "2", "--days-apart", "12"])
            XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
            return try written(h)
        }
        let whole = try passes(block: nil, threads: 1)
        let blocks = try passes(block: 7, threads: 1)
        let threaded = try passes(block: nil, threads: 2)
        let threadedBlocks = try passes(block: 7, threads: 2)
        let apart = try passes(block: nil, threads: 3)
        let apartBlocks = try passes(block: 7, threads: 3)

        XCTAssertTrue(whole.tables.contains("\n'class',"), "class items were written")
        for kind in ["sandbox-", "guidance-", "prompt-"] {
            XCTAssertTrue(whole.files.keys.contains { $0.hasPrefix(kind) }, "the passes wrote \(kind)* lines")
        }
        for (name, other) in [("blocks", blocks), ("threaded", threaded), ("threaded blocks", threadedBlocks),
                              ("engine apart", apart), ("engine apart, blocks", apartBlocks)] {
            XCTAssertEqual(whole.files.keys.sorted(), other.files.keys.sorted(), name)
            for (file, text) in whole.files { XCTAssertEqual(text, other.files[file], "\(name): \(file)") }
            XCTAssertEqual(whole.audit, other.audit, name)
            let (a, b) = (whole.tables.split(separator: "\n"), other.tables.split(separator: "\n"))
            XCTAssertEqual(a.count, b.count, name)
            for (x, y) in zip(a, b) where x != y {
                XCTFail("\(name), first difference:\n\(x.prefix(300))\n\(y.prefix(300))")
                break
            }
        }
    }

    /// A write that fails while the engine and the rendering run on their own thread: the pass's
    /// transaction rolls back, no instruction file appears, the thread ends (the process does not
    /// hang on a queue nobody takes from), and the next run writes the whole pass.
    func testAPassWhoseWriteFailsBesideItsOwnThreadRollsBackAndEnds() throws {
        try failingWrite(threads: 2)
    }

    /// The same with the engine and the renderer on a thread each: the engine, which cannot be
    /// stopped, drops what it still decides once the renderer has given up.
    func testAPassWhoseWriteFailsBesideTheEngineAndRendererThreadsRollsBackAndEnds() throws {
        try failingWrite(threads: 3)
    }

    func failingWrite(threads: Int) throws {
        let (h, policy) = try ingested()
        let db = h.state.appendingPathComponent("agent.sqlite").path
        func count(_ table: String) throws -> Int {
            Int(try PolicyEndToEndTests.tool("/usr/bin/sqlite3", [db, "SELECT count(*) FROM \(table)"]).out
                .trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
        // Roster decisions come after the class decisions and the cases: the 21st roster item fails.
        let trigger = try PolicyEndToEndTests.tool("/usr/bin/sqlite3", [db, """
            CREATE TRIGGER fail_a_write BEFORE INSERT ON policy_items
            WHEN NEW.type = 'roster' AND (SELECT count(*) FROM policy_items WHERE type = 'roster') >= 20
            BEGIN SELECT RAISE(ABORT, 'a write that fails'); END;
            """])
        XCTAssertEqual(trigger.status, 0, trigger.out)
        let filesBefore = try FileManager.default.contentsOfDirectory(atPath: h.outbox.path).sorted()
        try h.writeConfig(extraConfig: policy + "\npass_block_merchants = 7\npass_threads = \(threads)\n")

        let failed = try h.run(["run", "--once", "--no-sync", "--config", h.configPath, "--now", "2026-07-01"], timeout: 60)
        XCTAssertTrue((failed.stdout + failed.stderr).contains("a write that fails"), failed.stdout + failed.stderr)
        XCTAssertEqual(try count("policy_items"), 0, "the pass's items were rolled back")
        XCTAssertEqual(try count("merchant_policy"), 0, "the pass's standings were rolled back")
        // The pass's audit events, the decisions' history, went with it (the pack's activation,
        // before the pass, stays).
        let trail = try h.run(["audit", "--json", "--config", h.configPath])
        XCTAssertEqual(trail.status, 0, trail.stderr)
        for kind in ["class_changed", "roster_admitted", "case_opened"] {
            XCTAssertFalse(trail.stdout.contains("\"kind\":\"\(kind)\""), "\(kind) of a rolled-back pass:\n\(trail.stdout.suffix(2000))")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: h.outbox.path).sorted(), filesBefore,
                       "no instruction file of the failed pass")

        XCTAssertEqual(try PolicyEndToEndTests.tool("/usr/bin/sqlite3", [db, "DROP TRIGGER fail_a_write"]).status, 0)
        let again = try h.run(["run", "--once", "--no-sync", "--config", h.configPath, "--now", "2026-07-01"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertGreaterThan(try count("policy_items WHERE type = 'roster'"), 20)
        XCTAssertEqual(try count("policy_items WHERE type = 'class'"), 600)
        let after = try h.run(["audit", "--json", "--config", h.configPath])
        XCTAssertEqual(after.stdout.components(separatedBy: "\"kind\":\"class_changed\"").count - 1, 600, "each class in the audit once")
    }
}
