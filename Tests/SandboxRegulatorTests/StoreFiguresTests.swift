import Foundation
import XCTest
@testable import SandboxRegulator

/// The figures staff read come from counters each batch keeps (issue 15), never from a scan: after
/// any mix of new records, changed USCCs, resends and late versions they must equal what a scan of
/// the records says. Runs on SQLite and, under scripts/test, on PostgreSQL.
final class StoreFiguresTests: XCTestCase {
    private typealias F = RegulatorFixture

    private func merchant(_ platform: String, _ key: String, _ uscc: String?, _ hash: String, version: Int64? = nil) -> FeedItem {
        var item = FeedItem(kind: .merchant, platformID: platform, key: key, uscc: uscc, contentHash: hash,
                            dataJSON: "{\"k\":\"\(key)\",\"h\":\"\(hash)\"}")
        item.version = version
        return item
    }

    /// What a scan says: merchant records and distinct USCCs per platform and in all.
    private func scanned(_ store: RegulatorStore) async throws -> [String: [Int]] {
        try await store.read { s in
            var out: [String: [Int]] = [:]
            let st = try s.database.prepare("""
                SELECT platform_id, count(*), count(DISTINCT uscc) FROM records WHERE type = 'merchant' GROUP BY platform_id
                """)
            defer { st.reset() }
            while try st.step() { out[st.string(0) ?? ""] = [st.int(1), st.int(2)] }
            let all = try s.database.prepare("SELECT count(*), count(DISTINCT uscc) FROM records WHERE type = 'merchant'")
            defer { all.reset() }
            _ = try all.step()
            out["*"] = [all.int(0), all.int(1)]
            return out
        }
    }

    private func counted(_ store: RegulatorStore) async throws -> [String: [Int]] {
        let stats = try await store.read { try $0.stats() }
        var out = stats.platforms.filter { $0.value.merchantRecords > 0 }.mapValues { [$0.merchantRecords, $0.distinctUSCC] }
        out["*"] = [stats.total.merchantRecords, stats.total.distinctUSCC]
        return out
    }

    func testCountersEqualAScanAfterNewChangedMovedResentAndLateRecords() async throws {
        let f = try F(); defer { f.remove() }
        let u1 = "91510100MA0000001X", u2 = "91510100MA0000002X", u3 = "91510100MA0000003X"
        var key = 0
        func batch(_ platform: String, _ items: [FeedItem]) async throws {
            key += 1
            let k = "b\(key)"
            _ = try await f.store.write {
                try $0.applyFeed(platformID: platform, batchKey: k, bodyDigest: k, items: items, rejected: RejectedLines(), now: 10)
            }
        }
        try await batch("A", [merchant("A", "m1", u1, "1"), merchant("A", "m2", u1, "1"), merchant("A", "m3", u2, "1"),
                              merchant("A", "m4", nil, "1")])
        try await batch("B", [merchant("B", "n1", u1, "1"), merchant("B", "n2", u3, "1")])
        var truth = try await scanned(f.store)
        var figures = try await counted(f.store)
        XCTAssertEqual(figures, truth)
        XCTAssertEqual(truth["*"], [6, 3])

        // m3 moves from u2 to u3 (u2 has no storefront left), n2 moves from u3 to u2; a resend and
        // a late older version change nothing.
        try await batch("A", [merchant("A", "m3", u3, "2", version: 5)])
        try await batch("B", [merchant("B", "n2", u2, "2")])
        try await batch("A", [merchant("A", "m3", u2, "9", version: 4)])
        try await batch("A", [merchant("A", "m3", u3, "2", version: 5), merchant("A", "m1", u1, "1")])
        // A key twice in one batch: the later wins.
        try await batch("B", [merchant("B", "n3", u3, "1"), merchant("B", "n3", u1, "2")])
        truth = try await scanned(f.store)
        figures = try await counted(f.store)
        XCTAssertEqual(figures, truth, "counters = scan")
        let byType = try await f.store.read { try $0.stats() }.total.recordsByType
        XCTAssertEqual(byType["merchant"], truth["*"]?[0])
    }
}
