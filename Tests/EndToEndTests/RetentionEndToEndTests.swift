import Foundation
import XCTest

/// Retention: the daily pass removes archived and failed files past their age and journal rows
/// past theirs, and keeps the state itself (merchants, findings).
final class RetentionEndToEndTests: XCTestCase {
    func testOldFilesAndRowsArePrunedAndTheStateIsKept() throws {
        let agent = try AgentHarness(extraConfig: "[retention]\narchive_days = 2\nfailed_days = 2\njournal_days = 30")
        try agent.drop(text: "platform_merchant_id,shop_name,entity_type,category\nm-1,小店,enterprise,general\n", name: "merchants-1.csv")
        try agent.drop(text: "\u{0}\u{1} not an export", name: "merchants-broken.csv")
        try agent.runOnce()
        let archive = agent.root.appendingPathComponent("state/archive"), failed = agent.root.appendingPathComponent("state/failed")
        XCTAssertEqual(agent.count(in: archive), 1)
        XCTAssertEqual(agent.count(in: failed), 2, "the file and its reason")

        // A fresh file, and the old ones made three days old.
        try agent.drop(text: "platform_merchant_id,shop_name,entity_type,category\nm-2,二店,enterprise,general\n", name: "merchants-2.csv")
        let old = Date().addingTimeInterval(-3 * 86_400)
        for folder in [archive, failed] {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: folder.appendingPathComponent(name).path)
            }
        }
        // 35 days later by the agent's clock: the journal rows of the first run are past 30 days.
        let r = try agent.run(["run", "--once", "--config", agent.configPath, "--now", "2026-12-25"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("retention: old files and rows pruned"), r.stderr)
        let kept = try FileManager.default.contentsOfDirectory(atPath: archive.path)
        XCTAssertEqual(kept.count, 1, "only the new file stays archived: \(kept)")
        XCTAssertTrue(kept.first?.hasSuffix("merchants-2.csv") ?? false)
        XCTAssertEqual(agent.count(in: failed), 0)
        let status = try JSONSerialization.jsonObject(with: Data(try agent.run(
            ["status", "--json", "--config", agent.configPath, "--now", "2026-12-25"]).stdout.utf8)) as? [String: Any] ?? [:]
        XCTAssertEqual(status.int("files.applied"), 1, "the first run's journal rows are gone, the second's stay")
        XCTAssertEqual(status.int("merchants"), 2, "the state itself is kept")
    }
}
