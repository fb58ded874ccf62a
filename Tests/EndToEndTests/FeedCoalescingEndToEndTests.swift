import Foundation
import XCTest

/// One record, one item at the regulator (issue 11): an export that lists a key twice is one
/// feed-queue entry, so whatever the batch size it is sent — and counted — once.
final class FeedCoalescingEndToEndTests: SyncTestCase {
    /// The generator writes renewed drug licences twice under the same merchant, type and number
    /// (the expired one first). Batches of one item put every boundary between the two rows.
    func testALicenceListedTwiceInOneExportIsCountedOnceByTheRegulator() throws {
        let agent = try makeAgent(batchRecords: 1)
        let licences = try XCTUnwrap(try agent.generate(merchants: 2_000, seed: 7)["licences"])
        // The export really lists keys twice, or this test would test nothing.
        let rows = try String(contentsOf: licences, encoding: .utf8).split(separator: "\n").dropFirst()
        let keys = rows.map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(3).joined(separator: ",") }
        let distinct = Set(keys).count
        XCTAssertGreaterThan(keys.count - distinct, 0, "no licence key twice in the generated export")

        try agent.drop(licences)
        let r = try agent.run(["run", "--once", "--config", agent.configPath, "--now", agent.today], timeout: 300)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)

        let status = try agent.status()
        XCTAssertEqual(status.int("licences"), distinct, "the agent keeps one licence per key")
        let stats = try regulator.stats()
        XCTAssertEqual(stats.int("records_by_type.licence"), distinct)
        XCTAssertEqual(stats.int("items_accepted"), distinct, "every licence counted once, none twice")
        XCTAssertEqual(stats.int("batches_accepted"), distinct, "one item per batch")
        XCTAssertEqual(status.int("sync.items_delivered"), distinct)
    }
}
