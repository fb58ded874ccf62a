import XCTest
@testable import SandboxRegulator

/// PostgresSchema.rosterMarksVacuum: the roster marks' table is vacuumed as the queue it is (after
/// 1 % of its rows plus 10,000 are dead), on a new store and on one opened from before the step.
/// SQLite has no vacuum to set: a deleted row's index entry goes with it.
final class RosterMarksVacuumTests: XCTestCase {
    typealias F = RegulatorFixture
    static let settings = ["autovacuum_vacuum_scale_factor=0.01", "autovacuum_vacuum_threshold=10000"]

    /// The table's storage options as PostgreSQL keeps them, sorted.
    static func options(_ store: RegulatorStore) async throws -> [String] {
        try await store.read { s in
            let q = try s.database.prepare("""
                SELECT option FROM pg_class c, unnest(coalesce(c.reloptions, '{}')) AS option
                WHERE c.relname = 'roster_dirty' ORDER BY option
                """)
            defer { q.reset() }
            var out: [String] = []
            while try q.step() { out.append(q.string(0) ?? "") }
            return out
        }
    }

    func testTheMarksAreVacuumedAsAQueueOnANewStoreAndAfterTheStep() async throws {
        let f = try F(); defer { f.remove() }
        try XCTSkipIf(f.postgres == nil, "a PostgreSQL schema step: SQLite keeps no dead index entries")
        let fresh = try await Self.options(f.store)
        XCTAssertEqual(fresh, Self.settings)
        // Back to the step before, with the table's default options.
        try await f.store.write { s in
            try s.database.execute("ALTER TABLE roster_dirty RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold)")
            try f.rewindSchema(s, toBefore: RegulatorSchema.steps.count + 1, PostgresSchema.rosterMarksVacuumVersion)
        }
        let old = try await Self.options(f.store)
        XCTAssertEqual(old, [])
        let reopened = try F.makeStore(folder: f.folder, postgres: f.postgres)
        defer { reopened.backend.close() }
        let upgraded = try await Self.options(reopened)
        XCTAssertEqual(upgraded, Self.settings)
    }
}
