import Foundation
import Hummingbird

import SandboxCore
import XCTest
@testable import SandboxRegulator

/// PostgresSchema.rosterHistoryIndexes: a PostgreSQL store from before it — `roster_history`
/// with its `id` key and its USCC index — loses both on open, keeps every version with its id,
/// and the history reads as before; roster items fed after it are appended in the batch's order
/// with ids after the old ones. SQLite keeps its schema.
final class RosterHistoryIndexesTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias O = OutcomeCountsTests
    typealias P = PolicyItems
    static let uscc = "91510104MA6CHIST01"
    static let dropped = ["roster_history_by_uscc", "roster_history_pkey"]

    static func indexes(_ store: RegulatorStore) async throws -> [String] {
        try await RecordsIndexesTests.indexes(store, table: "roster_history")
    }

    /// Every version, in id order: key, member, decision, source, and the id's rank.
    static func history(_ store: RegulatorStore) async throws -> [String] {
        try await store.read { s in
            let q = try s.database.prepare("""
                SELECT id, platform_id, key, uscc, member, decision, source, content_hash FROM roster_history ORDER BY id
                """)
            defer { q.reset() }
            var out: [String] = []
            while try q.step() { out.append((0..<8).map { q.string(Int32($0)) ?? "-" }.joined(separator: " ")) }
            return out
        }
    }

    func testAStoreWithTheOldKeyAndIndexLosesThemOnOpenAndReadsTheSame() async throws {
        let f = try F(); defer { f.remove() }
        try XCTSkipIf(f.postgres == nil, "a PostgreSQL schema step: SQLite's id is its rowid, its index stays")
        try await f.app().test(.router) { client in
            try await O.post(client, key: "h-1", [
                P.roster("A", "m1", uscc: Self.uscc, member: true), P.roster("A", "m2", uscc: nil, member: false),
            ])
            try await O.post(client, key: "h-2", [P.roster("A", "m1", uscc: Self.uscc, member: false, hash: "2")])
        }
        let fresh = try await Self.indexes(f.store)
        XCTAssertEqual(fresh, ["roster_history_by_key"])
        let kept = try await Self.history(f.store)
        XCTAssertEqual(kept.count, 3, "\(kept)")
        let count = try await f.store.read { try $0.historyCount(.roster, platformID: "A", key: "m1") }
        XCTAssertEqual(count, 2)
        // Back to the step before, in the shape it had.
        try await f.store.write { s in
            try s.database.execute("ALTER TABLE roster_history ADD PRIMARY KEY (id)")
            try s.database.execute("CREATE INDEX roster_history_by_uscc ON roster_history (uscc) WHERE uscc IS NOT NULL")
            try f.rewindSchema(s, toBefore: RegulatorSchema.steps.count + 1, PostgresSchema.rosterHistoryIndexesVersion)
        }
        let old = try await Self.indexes(f.store)
        XCTAssertEqual(old, (Self.dropped + ["roster_history_by_key"]).sorted(), "\(old)")
        let reopened = try F.makeStore(folder: f.folder, postgres: f.postgres)
        defer { reopened.backend.close() }
        let upgraded = try await Self.indexes(reopened)
        XCTAssertEqual(upgraded, fresh)
        let after = try await Self.history(reopened)
        XCTAssertEqual(after, kept)
        // Fed after the upgrade: appended in the batch's order, after the old ids.
        try await f.app().test(.router) { client in
            try await O.post(client, key: "h-3", [
                P.roster("A", "m3", uscc: Self.uscc, member: true), P.roster("A", "m1", uscc: Self.uscc, member: true, hash: "3"),
            ])
        }
        let fed = try await Self.history(reopened)
        XCTAssertEqual(Array(fed.prefix(3)), kept)
        XCTAssertEqual(fed.dropFirst(3).map { $0.split(separator: " ")[2] }, ["m3", "m1"])
        let ids = fed.map { Int64($0.split(separator: " ")[0])! }
        XCTAssertEqual(ids, ids.sorted())
        let m1 = try await reopened.read { try $0.historyCount(.roster, platformID: "A", key: "m1") }
        XCTAssertEqual(m1, 3)
    }
}
