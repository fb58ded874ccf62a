import Foundation
import XCTest
@testable import SandboxRegulator

/// Two nodes on one database (issue 15): each test runs on SQLite and, under scripts/test, again
/// on PostgreSQL. What one node writes the other reads; a batch given to both at once is applied
/// and counted once; cursors come out in order whichever node wrote them.
final class StoreNodesTests: XCTestCase {
    private typealias F = RegulatorFixture

    private func items(_ n: Int, platform: String = "A") -> [FeedItem] {
        (0..<n).map {
            FeedItem(kind: .merchant, platformID: platform, key: "m\($0)", uscc: nil, contentHash: "h\($0)", dataJSON: "{\"n\":\($0)}")
        }
    }

    func testABatchGivenToTwoNodesAtOnceIsAppliedAndCountedOnce() async throws {
        let f = try F(); defer { f.remove() }
        let other = try f.secondNode(); defer { other.backend.close() }
        let batch = items(300)
        // Ten rounds, each the same new batch to both nodes at the same moment.
        for round in 0..<10 {
            let key = "batch-\(round)"
            async let first = f.store.write {
                try $0.applyFeed(platformID: "A", batchKey: key, bodyDigest: "d\(round)", items: batch, rejected: RejectedLines(), now: 100)
            }
            async let second = other.write {
                try $0.applyFeed(platformID: "A", batchKey: key, bodyDigest: "d\(round)", items: batch, rejected: RejectedLines(), now: 100)
            }
            let outcomes = try await [first, second]
            let applied = outcomes.filter { if case .applied = $0 { return true } else { return false } }.count
            let duplicates = outcomes.filter { if case .duplicate = $0 { return true } else { return false } }.count
            XCTAssertEqual([applied, duplicates], [1, 1], "round \(round): one node applies, the other answers duplicate")
        }
        let stats = try await other.read { try $0.stats() }
        XCTAssertEqual(stats.total.batchesAccepted, 10)
        XCTAssertEqual(stats.total.batchesDuplicate, 10)
        XCTAssertEqual(stats.total.itemsAccepted, 3_000, "each batch's items counted once")
        XCTAssertEqual(stats.total.merchantRecords, 300)
    }

    func testDirectivesFromTwoNodesComeOutInCursorOrderWithNoneSkipped() async throws {
        let f = try F(); defer { f.remove() }
        let other = try f.secondNode(); defer { other.backend.close() }
        // Both nodes write directives concurrently while a reader pages through by cursor, as a
        // platform's long poll does: every directive must be seen exactly once.
        let perNode = 40
        async let a: Void = {
            for i in 0..<perNode {
                _ = try await f.store.write { try $0.createDirective(NewDirective(platformID: "A", type: "notice", payload: .object(["i": .int(Int64(i))])), now: 1) }
            }
        }()
        async let b: Void = {
            for i in 0..<perNode {
                _ = try await other.write { try $0.createDirective(NewDirective(platformID: "A", type: "notice", payload: .object(["j": .int(Int64(i))])), now: 1) }
            }
        }()
        var seen: [String] = [], cursor: Int64 = 0
        var rounds = 0
        while seen.count < 2 * perNode && rounds < 10_000 {
            rounds += 1
            let page = try await other.read { [cursor] s in try s.directives(platformID: "A", after: cursor, limit: 7) }
            seen += page.map(\.id)
            cursor = page.last?.cursor ?? cursor
            if page.isEmpty { try await Task.sleep(for: .milliseconds(2)) }
        }
        try await a
        try await b
        let all = try await f.store.read { try $0.directives(platformID: "A", after: 0, limit: 500) }
        XCTAssertEqual(all.count, 2 * perNode)
        XCTAssertEqual(Set(seen).count, seen.count, "no directive seen twice")
        XCTAssertEqual(Set(seen), Set(all.map(\.id)), "no directive skipped by a reader paging by cursor")
    }

    func testWhatOneNodeWritesTheOtherReads() async throws {
        let f = try F(); defer { f.remove() }
        let other = try f.secondNode(); defer { other.backend.close() }
        let three = items(3, platform: "B")
        _ = try await f.store.write {
            try $0.applyFeed(platformID: "B", batchKey: "k", bodyDigest: "d", items: three, rejected: RejectedLines(), now: 5)
        }
        let stored = try await other.read { try $0.storedRecord(platformID: "B", kind: .merchant, key: "m2") }
        XCTAssertEqual(stored?.data, .object(["n": .int(2)]))
        XCTAssertEqual(stored?.contentHash, "h2")
    }
}
