import SandboxCore
import SandboxStorage

/// The regulator's SQLite store (WAL): records, batches, directives, receipts, registry.
///
/// An actor, because it is the one owner the `Database` connection needs (opened without
/// SQLite's mutexes, not `Sendable`) and SQLite admits one writer at a time anyway: the actor's
/// serial executor queues every write in arrival order without a lock or a dedicated thread, and
/// a handler simply `await`s its turn. Reads go through the same connection: they are short
/// (indexed lookups, small pages), and one connection means every read sees every committed
/// write. A read-only second connection can be added if reads ever queue behind long batches.
public actor RegulatorStore {
    let database: Database
    /// The newest published rule pack, compiled, by its SHA-256: compiling takes milliseconds,
    /// and the roster view and draws would otherwise compile the same bytes on every call.
    var compiledPack: (sha256: String, pack: RulePack)?

    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    public init(path: String) throws {
        database = try Database(path: path)
        // 64 MiB of page cache (a ceiling, not a reservation): with SQLite's 2 MB default, half
        // of a feed batch's time went to the kernel copying the same pages in and out again.
        try database.execute("PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 16384; PRAGMA mmap_size = 1073741824;")
        try database.migrate(RegulatorSchema.steps)
    }

    /// Answers when the database does (for /healthz).
    public func ping() throws {
        _ = try database.int64("SELECT 1")
    }

    /// Adds to a platform's counters (inside the caller's transaction).
    func count(platformID: String, batchesAccepted: Int = 0, batchesDuplicate: Int = 0,
               itemsAccepted: Int = 0, itemsRejected: Int = 0) throws {
        let s = try database.prepare("""
            INSERT INTO platform_counters (platform_id, batches_accepted, batches_duplicate, items_accepted, items_rejected)
            VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (platform_id) DO UPDATE SET
                batches_accepted = batches_accepted + ?2, batches_duplicate = batches_duplicate + ?3,
                items_accepted = items_accepted + ?4, items_rejected = items_rejected + ?5
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
