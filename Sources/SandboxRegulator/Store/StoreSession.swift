import SandboxCore
import SandboxStorage

/// What the store's code runs against: one session of the backend (a SQLite connection or a
/// PostgreSQL connection), lent for one `RegulatorStore.read` or `write` call. The store's
/// queries are methods on it (the `StoreSession+…` extensions in the files named
/// `RegulatorStore+…`), written once in SQL both engines run (docs/store.md).
public struct StoreSession {
    let database: any SQLSession
    let dialect: SQLDialect
    let packCache: CompiledPackCache

    /// The intake's bulk reads and writes of records for this engine (RecordWriter).
    var recordWriter: any RecordWriter { Self.recordWriter(for: database) }

    /// The writer for this engine's session (also for the migrations, which have no StoreSession).
    static func recordWriter(for database: any SQLSession) -> any RecordWriter {
        if let postgres = database as? PostgresSession { return PostgresRecordWriter(session: postgres) }
        return RowRecordWriter(database: database)
    }

    /// The condition "filed under `uscc`, when one is asked": `column = ?N`, or `?N IS NULL` for
    /// all. Two texts rather than `(?N IS NULL OR column = ?N)`, which neither engine can answer
    /// from the USCC index: that form scanned every case to show one enterprise's profile.
    static func onlyUSCC(_ column: String, _ uscc: String?, _ parameter: Int) -> String {
        uscc == nil ? "?\(parameter) IS NULL" : "\(column) = ?\(parameter)"
    }

    /// Adds to a platform's counters (inside the caller's transaction).
    func count(platformID: String, batchesAccepted: Int = 0, batchesDuplicate: Int = 0,
               itemsAccepted: Int = 0, itemsRejected: Int = 0) throws {
        let s = try database.prepare("""
            INSERT INTO platform_counters (platform_id, batches_accepted, batches_duplicate, items_accepted, items_rejected)
            VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (platform_id) DO UPDATE SET
                batches_accepted = platform_counters.batches_accepted + ?2,
                batches_duplicate = platform_counters.batches_duplicate + ?3,
                items_accepted = platform_counters.items_accepted + ?4,
                items_rejected = platform_counters.items_rejected + ?5
            """)
        defer { s.reset() }
        try s.bind(1, platformID)
        try s.bind(2, batchesAccepted)
        try s.bind(3, batchesDuplicate)
        try s.bind(4, itemsAccepted)
        try s.bind(5, itemsRejected)
        try s.step()
    }
}
