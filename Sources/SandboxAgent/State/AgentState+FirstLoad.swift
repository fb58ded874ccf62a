import SandboxCore

// A platform's first merchants or events file: the table's secondary index built once, after the
// rows.
extension AgentState {
    /// An index a platform's first file of a kind builds after its rows, and the text it is made
    /// with: exactly as the migrations made it (a test compares it with `sqlite_master`), so that
    /// dropped and made again it is the same index.
    struct FirstLoadIndex: Sendable {
        let name: String
        let sql: String
    }

    /// The merchants' codes' index (issue 16, session 34).
    static let merchantsUSCCIndex = FirstLoadIndex(
        name: "merchants_uscc", sql: "CREATE INDEX merchants_uscc ON merchants (uscc) WHERE uscc IS NOT NULL")
    /// The events by merchant and time (issue 16, session 45): 2,000,000 events from an export in
    /// event order went into it at random, a descent and often a page read back each.
    static let eventsByMerchantIndex = FirstLoadIndex(
        name: "events_by_merchant",
        sql: "CREATE INDEX events_by_merchant ON events (platform_merchant_id, occurred_at, event_type, severity)")

    /// The index a file of `kind` builds after its rows, when the state holds none of its kind yet;
    /// nil otherwise.
    func firstLoadIndex(for kind: ExportKind) throws -> FirstLoadIndex? {
        switch kind {
        case .merchants: try holdsMerchants() ? nil : Self.merchantsUSCCIndex
        case .events: try holdsEvents() ? nil : Self.eventsByMerchantIndex
        default: nil
        }
    }

    /// The page cache while an index is built. SQLite's sorter holds up to the cache's size in
    /// memory before it writes sorted runs to a temporary file; the writer's 32 MiB would let the
    /// sort of 455,000 codes (11 MB as sorted runs, about 36 MB in memory) sit in memory beside the
    /// cache's own pages.
    static let indexBuildCacheKiB = 4_096

    /// Runs `body`, which inserts a file's rows into an empty table, without `index`, and builds
    /// the index from the rows after it, in the caller's transaction.
    ///
    /// Inserted one by one, each merchant's code went into the index at a random place: a descent
    /// of its B-tree and a page the writer's cache had often let go. Sorting the codes once and
    /// writing the index in order is the same index for about a third of the work (issue 16,
    /// session 34: docs/benchmarks.md); the same holds for events by merchant. Only for an empty
    /// table: then the index has nothing to keep, and no statement of the file's transaction reads
    /// the table through it (merchants by code serve registry files, events by merchant the
    /// policy). A crash or an error anywhere rolls the drop back with the rows.
    func buildingIndexAfter<T>(_ index: FirstLoadIndex, _ body: () throws -> T) throws -> T {
        precondition(database.isInTransaction, "the index is dropped and made again in one transaction")
        try database.execute("DROP INDEX \(index.name)")
        let result = try body()
        // Made smaller while full of the rows' dirty pages, the cache kept them all and grew by
        // the build's pages besides (83.6 → 105.6 MiB); written out first, they are let go.
        try database.flushCache()
        try setPageCache(kiB: Self.indexBuildCacheKiB)
        defer { try? setPageCache(kiB: Self.writerCacheKiB) }
        do {
            try database.execute(index.sql)
        } catch where database.isInTransaction && (try? database.int64("PRAGMA temp_store")) == 1 {
            // The temporary folder full or unusable: sort in memory rather than fail the file again
            // at every retry. The transaction still open, SQLite undid only the statement; the
            // rows are still there.
            try database.execute("PRAGMA temp_store = MEMORY")
            try database.execute(index.sql)
        }
        return result
    }

    /// Runs `body`, which opens and ends a transaction, with SQLite's sorts beyond the page cache
    /// written as sorted runs to a temporary file (SQLite's temporary folder: SQLITE_TMPDIR, TMPDIR,
    /// /var/tmp, /usr/tmp or /tmp, the first it may write) instead of held in memory, when `onDisk`.
    ///
    /// The state runs `temp_store = MEMORY`, which keeps a whole sort in memory: the codes' index
    /// of a first merchants file (`buildingIndexAfter`) would hold about 36 MB at 469,000 merchants
    /// and grow with the file, the events' index more. The setting is changed outside the
    /// transaction because SQLite refuses it inside one once the connection has used its temporary
    /// schema, which a state's migrations do (`ALTER TABLE … RENAME` updates it): a fresh state's
    /// first ingest.
    func sortingOnDisk<T>(_ onDisk: Bool, _ body: () throws -> T) throws -> T {
        guard onDisk else { return try body() }
        precondition(!database.isInTransaction, "SQLite changes where it sorts only between transactions")
        try database.execute("PRAGMA temp_store = FILE")
        defer { try? database.execute("PRAGMA temp_store = MEMORY") }
        return try body()
    }
}
