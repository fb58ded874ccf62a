// A platform's first merchants file: the codes' index built once, after the rows.
extension AgentState {
    /// The codes' index exactly as migration 1 made it (a test compares it with `sqlite_master`):
    /// dropped and made again, it must be the same index.
    static let merchantsUSCCIndexSQL = "CREATE INDEX merchants_uscc ON merchants (uscc) WHERE uscc IS NOT NULL"

    /// The page cache while the codes' index is built. SQLite's sorter holds up to the cache's size
    /// in memory before it writes sorted runs to a temporary file; the writer's 32 MiB would let
    /// the sort of 455,000 codes (11 MB as sorted runs, about 36 MB in memory) sit in memory beside
    /// the cache's own pages.
    static let indexBuildCacheKiB = 4_096

    /// Runs `body`, which inserts a file's merchants into an empty table, without the codes'
    /// index, and builds the index from the rows after it, in the caller's transaction.
    ///
    /// Inserted one by one, each merchant's code went into the index at a random place: a descent
    /// of its B-tree and a page the writer's cache had often let go. Sorting the codes once and
    /// writing the index in order is the same index for about a third of the work (issue 16,
    /// session 34: docs/benchmarks.md). Only for an empty table: then the index has nothing to keep, and no
    /// statement of the file's transaction reads merchants by code (`merchantIDs(uscc:)` serves
    /// registry files). A crash or an error anywhere rolls the drop back with the rows.
    func buildingUSCCIndexAfter<T>(_ body: () throws -> T) throws -> T {
        precondition(database.isInTransaction, "the index is dropped and made again in one transaction")
        try database.execute("DROP INDEX merchants_uscc")
        let result = try body()
        // Made smaller while full of the rows' dirty pages, the cache kept them all and grew by
        // the build's pages besides (83.6 → 105.6 MiB); written out first, they are let go.
        try database.flushCache()
        try setPageCache(kiB: Self.indexBuildCacheKiB)
        defer { try? setPageCache(kiB: Self.writerCacheKiB) }
        do {
            try database.execute(Self.merchantsUSCCIndexSQL)
        } catch where database.isInTransaction && (try? database.int64("PRAGMA temp_store")) == 1 {
            // The temporary folder full or unusable: sort in memory rather than fail the file again
            // at every retry. The transaction still open, SQLite undid only the statement; the
            // rows are still there.
            try database.execute("PRAGMA temp_store = MEMORY")
            try database.execute(Self.merchantsUSCCIndexSQL)
        }
        return result
    }

    /// Runs `body`, which opens and ends a transaction, with SQLite's sorts beyond the page cache
    /// written as sorted runs to a temporary file (SQLite's temporary folder: SQLITE_TMPDIR, TMPDIR,
    /// /var/tmp, /usr/tmp or /tmp, the first it may write) instead of held in memory, when `onDisk`.
    ///
    /// The state runs `temp_store = MEMORY`, which keeps a whole sort in memory: the codes' index
    /// of a first merchants file (`buildingUSCCIndexAfter`) would hold about 36 MB at 469,000 merchants and
    /// grow with the file. The setting is changed outside the transaction because SQLite refuses it
    /// inside one once the connection has used its temporary schema, which a state's migrations do
    /// (`ALTER TABLE … RENAME` updates it): a fresh state's first ingest.
    func sortingOnDisk<T>(_ onDisk: Bool, _ body: () throws -> T) throws -> T {
        guard onDisk else { return try body() }
        precondition(!database.isInTransaction, "SQLite changes where it sorts only between transactions")
        try database.execute("PRAGMA temp_store = FILE")
        defer { try? database.execute("PRAGMA temp_store = MEMORY") }
        return try body()
    }
}
