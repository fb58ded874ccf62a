import Foundation
import XCTest

/// check-config, check and check --raw as a platform engineer uses them.
final class CommandLineEndToEndTests: XCTestCase {
    func testCheckConfigAcceptsAGoodFileAndNamesLineAndKeyOfABadOne() throws {
        let h = try AgentHarness()
        let ok = try h.run(["check-config", "--config", h.configPath])
        XCTAssertEqual(ok.status, 0, ok.stderr)

        let bad = h.root.appendingPathComponent("bad.conf")
        try "[agent]\nplatform_id = \"p\"\n\ninbx = \"inbox\"\n".write(to: bad, atomically: true, encoding: .utf8)
        let r1 = try h.run(["check-config", "--config", bad.path])
        XCTAssertEqual(r1.status, 78)
        XCTAssertTrue(r1.stderr.contains("line 4"), r1.stderr)
        XCTAssertTrue(r1.stderr.contains("agent.inbx"), r1.stderr)

        try "[agent]\nplatform_id = \"p\"\nrescan_interval_seconds = 0\n".write(to: bad, atomically: true, encoding: .utf8)
        let r2 = try h.run(["check-config", "--config", bad.path])
        XCTAssertEqual(r2.status, 78)
        XCTAssertTrue(r2.stderr.contains("line 3"), r2.stderr)
        XCTAssertTrue(r2.stderr.contains("1…3600, got 0"), r2.stderr)

        try "[agent\nplatform_id = 1\n".write(to: bad, atomically: true, encoding: .utf8)
        let r3 = try h.run(["check-config", "--config", bad.path])
        XCTAssertEqual(r3.status, 78)
        XCTAssertTrue(r3.stderr.contains("line 1"), r3.stderr)

        let r4 = try h.run(["check-config", "--config", h.root.appendingPathComponent("missing.conf").path])
        XCTAssertEqual(r4.status, 78)
    }

    func testCheckIsADryRunThatNamesLineAndColumn() throws {
        let h = try AgentHarness()
        let csv = "platform_merchant_id,shop_name,entity_type,uscc,category\n"
            + "m-1,Shop,enterprise,91350100M000100Y4Z,general\n"
            + "m-2,Shop 2,enterprise,91350100M000100Y43,toys\n"
        let file = h.root.appendingPathComponent("merchants-draft.csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        let r = try h.run(["check", file.path, "--now", h.today])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains("merchants-draft.csv line 3 column category"), r.stdout)
        XCTAssertTrue(r.stdout.contains("m-1"), r.stdout)  // its bad check character is a finding
        XCTAssertFalse(FileManager.default.fileExists(atPath: h.state.path), "check touched the state")

        let j = try h.run(["check", "--json", file.path, "--now", h.today])
        let objects = j.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        XCTAssertEqual(objects.filter { $0["type"] as? String == "row_rejected" }.first?["line"] as? Int, 3)
        XCTAssertEqual(objects.last?["type"] as? String, "summary")
        XCTAssertEqual(objects.last?["accepted"] as? Int, 1)
    }

    func testRawPrintsEveryRecordKeyedByItsOwnHeader() throws {
        let h = try AgentHarness()
        let file = h.root.appendingPathComponent("anything.txt")
        try "名称,备注\n甲,\"a, \"\"b\"\"\"\n乙,\n".write(to: file, atomically: true, encoding: .utf8)
        let r = try h.run(["check", "--raw", file.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = r.stdout.split(separator: "\n").map {
            try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows[0]["名称"] as? String, "甲")
        XCTAssertEqual(rows[0]["备注"] as? String, "a, \"b\"")
        XCTAssertEqual(rows[1]["_line"] as? Int, 3)
    }
}
