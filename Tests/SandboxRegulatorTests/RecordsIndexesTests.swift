import Foundation
import Hummingbird

import SandboxCore
import XCTest
@testable import SandboxRegulator

/// PostgresSchema.recordsIndexes: a PostgreSQL store from before it — `records` with its `id`
/// key and the per-type USCC indexes (`records_roster`, `records_class`, `records_case`) — loses
/// them on open, keeps every record, and the reads those indexes served (policy items and open
/// cases of a set of enterprises or of all, a profile) answer as before. SQLite keeps its schema.
final class RecordsIndexesTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias L = LeadQueueOrderTests
    typealias O = OutcomeCountsTests
    typealias P = PolicyItems

    static let dropped = ["records_pkey", "records_roster", "records_class", "records_case"]

    struct Reads: Equatable {
        var roster: [String]
        var classes: [String]
        var openCases: [String: Int]
        var openCasesOfAll: [String: Int]
        var profile: MerchantProfile?
    }

    static func reads(_ store: RegulatorStore) async throws -> Reads {
        try await store.read { s in
            let set = USCCSelection.some([L.jinjiang, L.wuhou, L.shopInJinjiang])
            func items(_ type: FeedItem.Kind) throws -> [String] {
                try s.policyItems(type, of: set).map { "\($0.platform) \($0.key) \($0.uscc ?? "-") \($0.data.jsonText)" }
            }
            return Reads(roster: try items(.roster), classes: try items(.class), openCases: try s.openCaseCounts(of: set),
                         openCasesOfAll: try s.openCaseCounts(of: .all), profile: try s.profile(uscc: L.jinjiang, now: 0))
        }
    }

    /// The indexes PostgreSQL has on `table`, by name.
    static func indexes(_ store: RegulatorStore, table: String = "records") async throws -> [String] {
        try await store.read { s in
            let q = try s.database.prepare("SELECT indexname FROM pg_indexes WHERE tablename = '\(table)' ORDER BY indexname")
            defer { q.reset() }
            var out: [String] = []
            while try q.step() { out.append(q.string(0) ?? "") }
            return out
        }
    }

    func testAStoreWithTheOldKeyAndIndexesLosesThemOnOpenAndReadsTheSame() async throws {
        let f = try F(); defer { f.remove() }
        try XCTSkipIf(f.postgres == nil, "a PostgreSQL schema step: SQLite's id is its rowid, its indexes stay")
        try await f.app().test(.router) { client in
            try await L.feed(client)
            try await O.post(client, key: "q-3", [
                P.roster("A", "m1", uscc: L.jinjiang, member: true), P.roster("A", "m2", uscc: L.wuhou, member: false),
                P.creditClass("A", "m1", uscc: L.jinjiang, "B"),
            ])
            try await O.post(client, platform: "B", key: "q-4", [P.creditClass("B", "n1", uscc: L.shopInJinjiang, "C")])
        }
        let fresh = try await Self.indexes(f.store)
        XCTAssertTrue(Set(fresh).isDisjoint(with: Self.dropped), "\(fresh)")
        let kept = try await Self.reads(f.store)
        XCTAssertEqual(kept.roster.count, 2)
        XCTAssertEqual(kept.classes.count, 2)
        XCTAssertFalse(kept.openCases.isEmpty)
        XCTAssertNotNil(kept.profile)
        // Back to the step before, in the shape it had: the key (numbered in the table's order)
        // and the three indexes.
        try await f.store.write { s in
            try s.database.execute("ALTER TABLE records ADD COLUMN id BIGSERIAL PRIMARY KEY")
            for type in ["roster", "class", "case"] {
                try s.database.execute("CREATE INDEX records_\(type) ON records (uscc) WHERE type = '\(type)'")
            }
            try f.rewindSchema(s, toBefore: RegulatorSchema.steps.count + 1, PostgresSchema.recordsIndexesVersion)
        }
        let old = try await Self.indexes(f.store)
        XCTAssertTrue(Set(Self.dropped).isSubset(of: old), "\(old)")
        let reopened = try F.makeStore(folder: f.folder, postgres: f.postgres)
        defer { reopened.backend.close() }
        let upgraded = try await Self.indexes(reopened)
        XCTAssertEqual(upgraded, fresh)
        let columns = try await reopened.read { s in
            try s.database.int64("SELECT count(*) FROM information_schema.columns WHERE table_name = 'records' AND column_name = 'id'")
        }
        XCTAssertEqual(columns, 0)
        let version = try await reopened.read { s in try s.database.int64("SELECT max(version) FROM regulator_schema") }
        XCTAssertEqual(Int(version ?? 0), PostgresSchema.steps.count)
        let after = try await Self.reads(reopened)
        XCTAssertEqual(after, kept)
        // The intake writes to the upgraded table as before, and its records are read back.
        try await f.app().test(.router) { client in
            try await O.post(client, platform: "B", key: "q-5", [P.roster("B", "n1", uscc: L.shopInJinjiang, member: true)])
        }
        let fed = try await Self.reads(reopened)
        XCTAssertEqual(fed.roster.count, 3)
        XCTAssertEqual(fed.classes, kept.classes)
    }
}
