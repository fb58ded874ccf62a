import NIOConcurrencyHelpers
import SandboxStorage

/// Keeps PostgreSQL's planner statistics in step with a store that fills fast.
///
/// A new store's tables start empty, and autovacuum analyses a table only on its next round
/// (`autovacuum_naptime`, a minute by default) once a tenth of it changed. A national store's
/// first load outgrows the planner's picture of it within seconds: the lead queue's statement
/// then took 734 ms a batch instead of 98, and the intake of 469,000 merchants on two nodes ran
/// at 15,556 items a second instead of 29,038 (docs/benchmarks.md, issue 15, session 24). So the
/// node that applies batches checks, every so many items it applied, whether the records have
/// more than doubled since the planner last counted them, and then analyses the tables the
/// intake's statements read. Doubling keeps it to a few dozen analyses from empty to
/// 20,000,000 records; past that autovacuum's tenth comes first.
///
/// Nodes share nothing for it but the database: the planner's count (`pg_class.reltuples`) is
/// the state, and a transaction-level advisory lock lets one node analyse while another that
/// checks at the same moment goes on with its batches.
final class PlannerStatistics: Sendable {
    /// The tables the intake's statements read and write (FeedIntake, LeadQueueRows, the
    /// roster's marks), which grow with the records.
    static let tables = ["records", "leads", "lead_queue", "enterprises", "enterprise_platforms",
                         "enterprise_search_terms", "roster_dirty", "batches", "record_counts"]
    /// Below this many records every plan is quick; no analysis.
    static let smallestStore: Int64 = 10_000
    /// A node checks after it applied this many items, or an eighth of the records it last saw.
    static let checkEvery = 5_000

    private let applied = NIOLockedValueBox<(sinceCheck: Int, nextCheck: Int, checking: Bool)>(
        (0, PlannerStatistics.checkEvery, false))

    /// Counts `items` applied by this node; true when it is time to check (and no check of this
    /// node runs): the caller then runs `refresh` and `checked(records:)`.
    func noteApplied(_ items: Int) -> Bool {
        applied.withLockedValue { state in
            state.sinceCheck += items
            guard state.sinceCheck >= state.nextCheck, !state.checking else { return false }
            state.checking = true
            return true
        }
    }

    /// The check ended; `records` is the store's size it found (nil when it failed).
    func checked(records: Int64?) {
        applied.withLockedValue { state in
            state.sinceCheck = 0
            state.nextCheck = max(Self.checkEvery, Int(records ?? 0) / 8)
            state.checking = false
        }
    }

    /// The advisory lock's key for an analysis (PostgresMigrator's is another).
    static let lockKey: Int64 = 0x5344_424F_5853_4131  // "SDBOXSA1"

    /// What a check found and did.
    struct Refresh: Equatable, Sendable {
        /// Records in the store (the intake's kept counts).
        var records: Int64
        /// The planner's count of them before; -1 when the table was never analysed.
        var plannerRecords: Int64
        var analysed: Bool
    }

    /// Analyses the intake's tables when the records are at least `smallestStore` and more than
    /// twice what the planner last counted; nothing when another node is analysing now.
    static func refresh(_ database: any SQLSession) throws -> Refresh {
        try database.transaction {
            let records = try database.int64("SELECT COALESCE(SUM(records), 0)::bigint FROM record_counts") ?? 0
            let planner = try database.int64("SELECT reltuples::bigint FROM pg_class WHERE oid = 'records'::regclass") ?? -1
            guard records >= smallestStore, records > 2 * max(planner, 0),
                  try database.int64("SELECT CASE WHEN pg_try_advisory_xact_lock(\(lockKey)) THEN 1 ELSE 0 END") == 1
            else { return Refresh(records: records, plannerRecords: planner, analysed: false) }
            try database.execute("ANALYZE " + tables.joined(separator: ", "))
            return Refresh(records: records, plannerRecords: planner, analysed: true)
        }
    }
}
