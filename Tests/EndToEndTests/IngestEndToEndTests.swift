import Foundation
import TestSupport
import XCTest
@testable import SandboxAgent

/// The agent's main path with the real binary: exports in, state and reports out.
final class IngestEndToEndTests: XCTestCase {
    func testGeneratedExportIsAppliedVerifiedAndReported() throws {
        let h = try AgentHarness()
        let files = try h.generate(merchants: 600)
        for kind in ["registry", "licences", "merchants"] { try h.drop(XCTUnwrap(files[kind])) }
        let r = try h.runOnce()
        XCTAssertTrue(r.stdout.contains("3 applied"), r.stdout)

        let s = try h.status()
        XCTAssertEqual(s.int("merchants"), 600)
        XCTAssertGreaterThan(s.int("licences") ?? 0, 0)
        XCTAssertGreaterThan(s.int("registry") ?? 0, 0)
        XCTAssertEqual(s.int("files.applied"), 3)
        XCTAssertEqual(s.int("inbox_waiting"), 0)
        // The first merchants file built the codes' index after its rows: the migration's index.
        let state = try AgentState(path: h.state.appendingPathComponent("agent.sqlite").path, readOnly: true)
        let index = try state.database.prepare("SELECT sql FROM sqlite_master WHERE name = 'merchants_uscc'")
        XCTAssertTrue(try index.step())
        XCTAssertEqual(index.string(0), AgentState.merchantsUSCCIndex.sql)
        index.reset()

        // The generator puts problems into a realistic share of merchants; each is reported once.
        let lines = try h.outboxLines(prefix: "verification-")
        XCTAssertGreaterThan(lines.count, 30)
        XCTAssertLessThan(lines.count, 600)
        let ids = lines.compactMap { $0["platform_merchant_id"] as? String }
        XCTAssertEqual(Set(ids).count, ids.count, "a merchant reported twice")
        for line in lines {
            XCTAssertEqual(line["type"] as? String, "findings_changed")
            XCTAssertEqual(line["platform_id"] as? String, "test-platform")
            let opened = try XCTUnwrap(line["opened"] as? [[String: Any]])
            XCTAssertFalse(opened.isEmpty)
            for f in opened {
                XCTAssertNotNil(f["code"] as? String)
                XCTAssertFalse((f["message"] as? String ?? "").isEmpty)
                XCTAssertFalse((f["basis"] as? String ?? "").isEmpty)
            }
        }
        // Processed files are archived, none left in the inbox or the work folder.
        XCTAssertEqual(h.count(in: h.inbox), 0)
        XCTAssertEqual(h.count(in: h.work), 0)
        XCTAssertEqual(h.count(in: h.state.appendingPathComponent("archive")), 3)
    }

    func testUnchangedReexportInAnotherOrderWritesNothing() throws {
        let h = try AgentHarness()
        let files = try h.generate(merchants: 400)
        let merchants = try XCTUnwrap(files["merchants"])
        let text = try String(contentsOf: merchants, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let reordered = ([lines[0]] + lines.dropFirst().reversed()).joined(separator: "\n") + "\n"
        try h.drop(merchants)
        try h.runOnce()
        let reportsBefore = try h.outboxFiles(prefix: "verification-").count

        try h.drop(text: reordered, name: "merchants-reexport.csv")
        let r = try h.runOnce()
        XCTAssertTrue(r.stdout.contains("400 accepted"), r.stdout)
        XCTAssertTrue(r.stdout.contains("400 unchanged"), r.stdout)
        XCTAssertEqual(try h.outboxFiles(prefix: "verification-").count, reportsBefore, "an unchanged export produced a report")
        XCTAssertEqual(try h.status().int("merchants"), 400)
    }

    func testSameBytesUnderAnotherNameAreNotAppliedTwice() throws {
        let h = try AgentHarness()
        let files = try h.generate(merchants: 100)
        let merchants = try XCTUnwrap(files["merchants"])
        let copy = merchants.deletingLastPathComponent().appendingPathComponent("copy.csv")
        try FileManager.default.copyItem(at: merchants, to: copy)
        try h.drop(merchants)
        try h.runOnce()
        try h.drop(copy, as: "merchants-again.csv")
        let r = try h.runOnce()
        XCTAssertTrue(r.stdout.contains("1 duplicate"), r.stdout)
        let s = try h.status()
        XCTAssertEqual(s.int("files.applied"), 1)
        XCTAssertEqual(s.int("files.duplicate"), 1)
        let dup = try h.outboxLines(prefix: "rejects-").filter { $0["type"] as? String == "file_duplicate" }
        XCTAssertEqual(dup.count, 1)
        XCTAssertEqual(dup.first?["file"] as? String, "merchants-again.csv")
    }

    /// A file of the same size as one applied but with other bytes is applied, not taken for a
    /// duplicate, and the journal holds each file's own digest: made beside the rows for the first
    /// (no applied file had its size), before them for the second (`PendingDigest`).
    func testAnExportOfTheSameSizeButOtherBytesIsApplied() throws {
        let h = try AgentHarness()
        let files = try h.generate(merchants: 100)
        let merchants = try XCTUnwrap(files["merchants"])
        var bytes = try [UInt8](Data(contentsOf: merchants))
        let size = bytes.count
        let first = try PolicyEndToEndTests.tool("/usr/bin/sha256sum", [merchants.path]).out.prefix(64)
        try h.drop(merchants)
        try h.runOnce()
        // One digit near the end changed: the same size, other bytes.
        let at = try XCTUnwrap(bytes.lastIndex { (0x30...0x38).contains($0) })
        bytes[at] += 1
        let changed = h.root.appendingPathComponent("changed.csv")
        try Data(bytes).write(to: changed)
        XCTAssertEqual(bytes.count, size)
        let expected = try PolicyEndToEndTests.tool("/usr/bin/sha256sum", [changed.path]).out.prefix(64)
        try h.drop(changed, as: "merchants-changed.csv")
        let r = try h.runOnce()
        XCTAssertTrue(r.stdout.contains("1 applied, 0 duplicate"), r.stdout)
        XCTAssertEqual(try h.status().int("files.applied"), 2)
        let db = h.state.appendingPathComponent("agent.sqlite").path
        let digests = try PolicyEndToEndTests.tool("/usr/bin/sqlite3", [db, "SELECT sha256 FROM file_journal ORDER BY id"]).out
            .split(separator: "\n").map(String.init)
        XCTAssertEqual(digests.count, 2)
        XCTAssertEqual(digests[0], String(first), "the digest made beside the rows")
        XCTAssertEqual(digests[1], String(expected), "the journal holds the file's own SHA-256")

        // Refused before its rows, a file of a new size reports the digest made beside them.
        let refused = h.root.appendingPathComponent("refused.csv")
        try Data("shop_name,category\n川味小馆,general\n".utf8).write(to: refused)
        let refusedDigest = try PolicyEndToEndTests.tool("/usr/bin/sha256sum", [refused.path]).out.prefix(64)
        try h.drop(refused, as: "merchants-refused.csv")
        XCTAssertTrue(try h.runOnce().stdout.contains("1 failed"))
        let line = try XCTUnwrap(try h.outboxLines(prefix: "rejects-").last { $0["file"] as? String == "merchants-refused.csv" })
        XCTAssertEqual(line["sha256"] as? String, String(refusedDigest), "\(line)")
    }

    func testBrokenFilesAreSetAsideAndGoodOnesGoOn() throws {
        let h = try AgentHarness()
        let files = try h.generate(merchants: 50)
        var garbage = [UInt8](repeating: 0, count: 4096)
        for i in garbage.indices { garbage[i] = UInt8((i * 7919) & 0xff) }
        try Data(garbage).write(to: h.root.appendingPathComponent("bin"))
        try h.drop(h.root.appendingPathComponent("bin"), as: "merchants-binary.csv")
        // A gzip stream cut in half.
        let gz = h.root.appendingPathComponent("cut.gz")
        let csv = try Data(contentsOf: XCTUnwrap(files["merchants"]))
        try csv.write(to: h.root.appendingPathComponent("full.csv"))
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip -c '\(h.root.path)/full.csv' | head -c 2000 > '\(gz.path)'"]
        try gzip.run(); gzip.waitUntilExit()
        try h.drop(gz, as: "merchants-truncated.csv.gz")
        try h.drop(text: "hello", name: "notes.txt")
        try h.drop(text: "platform_merchant_id,shop_name\nm1,x\n", name: "merchants-no-required.csv")
        try h.drop(XCTUnwrap(files["merchants"]))

        let r = try h.runOnce()
        XCTAssertTrue(r.stdout.contains("1 applied"), r.stdout)
        XCTAssertTrue(r.stdout.contains("4 failed"), r.stdout)
        XCTAssertEqual(try h.status().int("merchants"), 50)
        let failed = h.state.appendingPathComponent("failed")
        let names = try FileManager.default.contentsOfDirectory(atPath: failed.path)
        XCTAssertEqual(names.filter { $0.hasSuffix(".reason.txt") }.count, 4, "\(names)")
        let problems = try h.outboxLines(prefix: "rejects-").filter { $0["type"] as? String == "file_unreadable" }
        XCTAssertEqual(Set(problems.compactMap { $0["file"] as? String }),
                       ["merchants-binary.csv", "merchants-truncated.csv.gz", "notes.txt", "merchants-no-required.csv"])
        let missing = problems.first { $0["file"] as? String == "merchants-no-required.csv" }
        XCTAssertTrue((missing?["reason"] as? String ?? "").contains("entity_type"), "\(String(describing: missing))")
    }

    func testBadRowsAreRejectedWithLineAndColumnAndGoodRowsApplied() throws {
        let h = try AgentHarness()
        let csv = """
        平台经营者ID,店铺名称,主体类型,统一社会信用代码,经营类目,住所,平台核验日期
        m-1,好店,企业,91350100M000100Y43,一般商品,成都市锦江区红星路1号,2026-10-01
        m-2,坏店,公司,91350100M000100Y43,一般商品,成都市锦江区红星路2号,2026-10-01
        m-3,多行地址店,企业,914403001922038216,食品,"成都市武侯区
        科华北路3号",2026/9/1
        m-4,坏日期店,企业,91330100716105852F,一般商品,成都市青羊区,2026-02-30

        """
        try h.drop(text: csv, name: "merchants-handmade.csv")
        let r = try h.runOnce()
        XCTAssertTrue(r.stdout.contains("2 accepted"), r.stdout)
        XCTAssertTrue(r.stdout.contains("2 rejected"), r.stdout)
        let rejects = try h.outboxLines(prefix: "rejects-").filter { $0["type"] as? String == "row_rejected" }
        XCTAssertEqual(rejects.map { $0["line"] as? Int }, [3, 6])
        let first = try XCTUnwrap((rejects[0]["problems"] as? [[String: Any]])?.first)
        XCTAssertEqual(first["column"] as? String, "主体类型")
        XCTAssertEqual(first["column_number"] as? Int, 3)
        XCTAssertTrue((first["reason"] as? String ?? "").contains("individual_business"), "\(first)")
        let second = try XCTUnwrap((rejects[1]["problems"] as? [[String: Any]])?.first)
        XCTAssertEqual(second["column"] as? String, "平台核验日期")
        XCTAssertEqual(try h.status().int("merchants"), 2)
    }

    /// A merchant listed again later in the same export: its last row is what the state keeps and
    /// verifies, and the regulator gets one item of it and of its findings. The reader marks a
    /// merchant's later rows, which alone are verified on the writer and compared for repeats
    /// before the commit (issue 16, session 35). The export with repeats must end exactly where
    /// the same export with each merchant's last row only ends.
    func testAMerchantListedAgainInOneExportEndsAsItsLastRowAndIsSentOnce() throws {
        let offline = "[regulator]\nurl = \"\"\nbatch_max_records = 7"
        let withRepeats = try AgentHarness(extraConfig: offline), lastRowsOnly = try AgentHarness(extraConfig: offline)
        let files = try withRepeats.generate(merchants: 300, seed: 3)
        var rows = try String(contentsOf: XCTUnwrap(files["merchants"]), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = rows.removeFirst()
        let displayed = try XCTUnwrap(header.firstIndex(of: "公示名称")), shop = try XCTUnwrap(header.firstIndex(of: "店铺名称"))
        // Row 0 again, unchanged; row 1 again under another shop name; row 2 three times, its
        // storefront's name wrong, then right, then wrong again; row 3 wrong, then right.
        func changed(_ row: [String], _ column: Int, _ value: String) -> [String] { var r = row; r[column] = value; return r }
        let wrong = "一家名称不符的公司"
        let later = [rows[0], changed(rows[1], shop, "改名后的店铺"), changed(rows[2], displayed, wrong), rows[2],
                     changed(rows[2], displayed, wrong), changed(rows[3], displayed, wrong), rows[3]]
        var lastRows = rows
        lastRows[1] = later[1]
        lastRows[2] = later[4]
        func csv(_ rows: [[String]]) -> String { ([header] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n" }
        var first = rows
        first[2] = later[2]; first[3] = later[5]
        let others = try ["registry", "licences"].map { kind in
            let file = try XCTUnwrap(files[kind])
            return (file.lastPathComponent, try String(contentsOf: file, encoding: .utf8))
        }
        for (h, text) in [(withRepeats, csv(first + later)), (lastRowsOnly, csv(lastRows))] {
            for (name, text) in others { try h.drop(text: text, name: name) }
            try h.runOnce()
            try h.drop(text: text, name: "merchants-20261120.csv")
            let r = try h.runOnce()
            XCTAssertTrue(r.stdout.contains("1 applied"), r.stdout)
            XCTAssertEqual(try h.status().int("merchants"), 300)
        }
        /// The merchants file's feed items (the last feed files, after registry and licences'), by type and key.
        func items(_ h: AgentHarness) throws -> [String: [String]] {
            var byKey: [String: [String]] = [:]
            for f in try h.outboxFiles(prefix: "feed-") {
                for line in try GzipReading.jsonLines(file: f) {
                    guard let type = line["type"] as? String, type == "merchant" || type == "findings" else { continue }
                    // A finding's `since` is the instant its run wrote it (the `--now` clock runs on
                    // from the day's midnight): the two agents' runs may fall in different seconds.
                    var content = line["data"] ?? NSNull()
                    if type == "findings", var d = content as? [String: Any], let current = d["current"] as? [[String: Any]] {
                        d["current"] = current.map { f in f.filter { $0.key != "since" } }
                        content = d
                    }
                    let data = try JSONSerialization.data(withJSONObject: content, options: [.sortedKeys])
                    byKey[type + ":" + (line["key"] as? String ?? ""), default: []].append(String(decoding: data, as: UTF8.self))
                }
            }
            return byKey
        }
        let sent = try items(withRepeats), expected = try items(lastRowsOnly)
        XCTAssertEqual(sent.filter { $0.key.hasPrefix("merchant:") }.count, 300)
        XCTAssertEqual(sent.filter { $0.value.count > 1 }.map(\.key), [], "an item sent twice")
        XCTAssertEqual(Set(sent.keys), Set(expected.keys))
        XCTAssertEqual(sent.keys.filter { sent[$0] != expected[$0] }.sorted(), [], "the repeats end where the last rows alone end")
        let renamed = try XCTUnwrap(sent["merchant:" + rows[1][0]]?.first)
        XCTAssertTrue(renamed.contains("改名后的店铺"), renamed)
    }

    func testGB18030ExportFromExcelIsRead() throws {
        let h = try AgentHarness()
        let files = try h.generate(merchants: 300, encoding: "gb18030")
        let merchants = try XCTUnwrap(files["merchants"])
        // It really is GB18030: not valid UTF-8.
        XCTAssertNil(String(data: try Data(contentsOf: merchants), encoding: .utf8))
        try h.drop(merchants)
        let r = try h.runOnce()
        XCTAssertTrue(r.stdout.contains("300 accepted"), r.stdout)
        XCTAssertTrue(r.stdout.contains("0 rejected"), r.stdout)
        // Chinese text arrives intact in the reports.
        let text = try h.outboxFiles(prefix: "verification-").map { try String(contentsOf: $0, encoding: .utf8) }.joined()
        XCTAssertTrue(text.contains("成都"), String(text.prefix(500)))
    }
}
