import XCTest
@testable import SandboxRegulator

/// PlannerStatistics: on PostgreSQL a store that fills is analysed each time its records more
/// than double the planner's count (from 10,000 records), and a node checks every so many items
/// it applied, one check at a time. SQLite's plans do not follow statistics (none are kept).
final class PlannerStatisticsTests: XCTestCase {
    typealias F = RegulatorFixture

    /// Grows the records to `total` rows, and their kept count with them, as the intake would.
    static func fill(_ store: RegulatorStore, to total: Int) async throws {
        try await store.write { s in
            let now = try s.database.int64("SELECT count(*) FROM records") ?? 0
            guard total > now else { return }
            try s.database.execute("""
                INSERT INTO records (platform_id, type, key, uscc, content_hash, data, updated_at)
                SELECT 'A', 'merchant', 'm' || n, NULL, 'h', '{}', 0 FROM generate_series(\(now + 1), \(total)) AS n
                """)
            try s.database.execute("""
                INSERT INTO record_counts (platform_id, type, records) VALUES ('A', 'merchant', \(total))
                ON CONFLICT (platform_id, type) DO UPDATE SET records = excluded.records
                """)
        }
    }

    static func refresh(_ store: RegulatorStore) async throws -> PlannerStatistics.Refresh {
        try await store.write { try PlannerStatistics.refresh($0.database) }
    }

    static func plannerRecords(_ store: RegulatorStore) async throws -> Int64 {
        try await store.read { try $0.database.int64("SELECT reltuples::bigint FROM pg_class WHERE oid = 'records'::regclass") ?? -2 }
    }

    func testTheIntakesTablesAreAnalysedWhenTheRecordsMoreThanDouble() async throws {
        let f = try F(); defer { f.remove() }
        try XCTSkipIf(f.postgres == nil, "PostgreSQL's planner statistics; SQLite keeps none")
        var r = try await Self.refresh(f.store)
        XCTAssertEqual(r, .init(records: 0, plannerRecords: -1, analysed: false), "an empty store is left alone")
        try await Self.fill(f.store, to: 9_999)
        r = try await Self.refresh(f.store)
        XCTAssertFalse(r.analysed, "below 10,000 records every plan is quick")
        try await Self.fill(f.store, to: 12_000)
        r = try await Self.refresh(f.store)
        XCTAssertEqual(r, .init(records: 12_000, plannerRecords: -1, analysed: true))
        let counted = try await Self.plannerRecords(f.store)
        XCTAssertEqual(counted, 12_000, "the planner counts the records now")
        r = try await Self.refresh(f.store)
        XCTAssertFalse(r.analysed, "not again until they more than double")
        try await Self.fill(f.store, to: 24_000)
        r = try await Self.refresh(f.store)
        XCTAssertFalse(r.analysed, "twice is not more than twice")
        try await Self.fill(f.store, to: 24_001)
        r = try await Self.refresh(f.store)
        XCTAssertEqual(r, .init(records: 24_001, plannerRecords: 12_000, analysed: true))
        let recounted = try await Self.plannerRecords(f.store)
        XCTAssertEqual(recounted, 24_001)
    }

    /// While another node holds the analysis lock, a check goes on without analysing.
    func testANodeDoesNotWaitForAnotherNodesAnalysis() async throws {
        let f = try F(); defer { f.remove() }
        try XCTSkipIf(f.postgres == nil, "PostgreSQL's planner statistics; SQLite keeps none")
        try await Self.fill(f.store, to: 12_000)
        // Another node (a store of its own, one connection) holds the lock.
        let other = try F.makeStore(folder: f.folder, postgres: f.postgres)
        defer { other.backend.close() }
        try await other.write { try $0.database.execute("SELECT pg_advisory_lock(\(PlannerStatistics.lockKey))") }
        let r = try await Self.refresh(f.store)
        XCTAssertEqual(r, .init(records: 12_000, plannerRecords: -1, analysed: false))
        try await other.write { try $0.database.execute("SELECT pg_advisory_unlock(\(PlannerStatistics.lockKey))") }
        let after = try await Self.refresh(f.store)
        XCTAssertTrue(after.analysed, "the lock released, the next check analyses")
    }

    func testANodeChecksEverySoManyItemsOneCheckAtATime() {
        let p = PlannerStatistics()
        XCTAssertFalse(p.noteApplied(4_999))
        XCTAssertTrue(p.noteApplied(1), "5,000 items: a check")
        XCTAssertFalse(p.noteApplied(50_000), "one check at a time")
        p.checked(records: 800_000)
        XCTAssertFalse(p.noteApplied(99_999), "next after an eighth of the records")
        XCTAssertTrue(p.noteApplied(1))
        p.checked(records: nil)
        XCTAssertTrue(p.noteApplied(5_000), "after a failed check, soon again")
    }
}
