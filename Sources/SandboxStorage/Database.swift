import CSQLite

/// One SQLite connection with its prepared-statement cache, transactions and migrations.
///
/// A connection has one owner (a single task or thread) and is therefore not `Sendable`:
/// SQLite is opened without its own mutexes (`SQLITE_OPEN_NOMUTEX`), which is only safe
/// because nothing shares it.
public final class Database {
    let handle: OpaquePointer
    /// The file the database lives in (`:memory:` for a private in-memory one).
    public let path: String
    private var cache: [String: Statement] = [:]
    /// The statements last asked for, by the address of their SQL's bytes. A literal's bytes live
    /// at one address for the life of the process, so a hot statement is found again without
    /// hashing its text: SipHash over a few hundred bytes on every call was 1.5 % of a first
    /// policy pass (issue 16). A slot is only a hint: a hit is confirmed by comparing the text,
    /// which for the same literal is one comparison of the strings' representations. Fixed in
    /// size, so SQL built at run time (new addresses each time) cannot grow it.
    private var recent = [(address: Int, statement: Statement)?](repeating: nil, count: Database.recentSlots)
    private static let recentSlots = 256
    /// Open transaction depth: 0 none, 1 `BEGIN IMMEDIATE`, more are savepoints (TransactionNesting).
    private let nesting = TransactionNesting()
    /// Starts the disk's writeback during long transactions (`startsWritebackWhileWriting`).
    private(set) var writeback: WritebackStarter?

    /// Opens (creating if needed) the database at `path` in WAL mode with `synchronous=FULL`: a
    /// commit survives a crash of the process and a power cut. With `NORMAL` the WAL was synced
    /// only at a checkpoint, and a power cut could take back the last commits, after the agent had
    /// archived their inbox file or the regulator had acknowledged their batch: neither is
    /// undone, so the records were lost. `FULL` syncs the WAL once a commit (0.3 ms on the
    /// benchmarks' disk); a large commit syncs it before its checkpoint either way.
    ///
    /// - Parameter busyTimeoutMilliseconds: how long to wait for another connection's lock
    ///   before failing with "database is locked".
    /// - Parameter readOnly: open for reading only (a second connection beside the writer, or
    ///   `status`): never takes the write lock, so it never waits for a long transaction.
    public init(path: String, busyTimeoutMilliseconds: Int32 = 5_000, readOnly: Bool = false) throws {
        _ = Database.configureOnce
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let error = SQLiteError.last(db, code: rc, sql: "open \(path)")
            sqlite3_close_v2(db)
            throw error
        }
        self.handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
        if !readOnly {
            // 8 KiB pages: a first ingest inserts hundreds of thousands of rows in random key order,
            // and larger pages mean fewer B-tree pages to read back and spill (measured 10 %
            // faster than 4 KiB, docs/benchmarks.md). Takes effect only for a new file.
            try execute("PRAGMA page_size = 8192; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")
        }
    }

    /// Process-wide SQLite settings, applied before the first connection opens.
    private static let configureOnce: Bool = {
        csqlite_disable_memstatus()
        return true
    }()

    deinit {
        writeback?.stop()
        cache.removeAll()
        recent.removeAll()
        // close_v2 defers the close until statements still held elsewhere are finalized.
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that return no rows (DDL, PRAGMA settings).
    public func execute(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        guard rc == SQLITE_OK else {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(errorMessage)
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: message, sql: sql)
        }
    }

    /// A prepared statement for `sql`, from the cache when it was prepared before (reset,
    /// bindings kept). Cached statements live as long as the connection.
    public func prepare(_ sql: String) throws -> Statement {
        let address = sql.utf8.withContiguousStorageIfAvailable { Int(bitPattern: $0.baseAddress) } ?? 0
        let slot = (address >> 4) & (Self.recentSlots - 1)
        if address != 0, let hint = recent[slot], hint.address == address, hint.statement.sql == sql {
            hint.statement.reset()
            return hint.statement
        }
        let statement: Statement
        if let cached = cache[sql] {
            cached.reset()
            statement = cached
        } else {
            statement = try prepareUncached(sql, persistent: true)
            cache[sql] = statement
        }
        if address != 0 { recent[slot] = (address, statement) }
        return statement
    }

    /// A statement of its own, not cached: for one-off SQL, or a second cursor over the same SQL.
    public func prepareUncached(_ sql: String, persistent: Bool = false) throws -> Statement {
        var stmt: OpaquePointer?
        let flags: UInt32 = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let rc = sqlite3_prepare_v3(handle, sql, -1, flags, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw SQLiteError.last(handle, code: rc, sql: sql) }
        return Statement(handle: stmt, sql: sql)
    }

    /// How many statements the cache holds (for tests and diagnostics).
    public var cachedStatementCount: Int { cache.count }

    /// The first column of the first row of `sql`, or nil when there is no row or it is NULL.
    public func int64(_ sql: String) throws -> Int64? {
        let statement = try prepare(sql)
        defer { statement.reset() }
        return try statement.step() ? statement.int64OrNil(0) : nil
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes64(handle)) }

    /// Rows changed since the connection opened: unchanged when nothing was written.
    public var totalChanges: Int { Int(sqlite3_total_changes64(handle)) }

    /// The rowid of the last successful INSERT on this connection. An upsert that updated
    /// leaves it alone, so setting it to 0 before one tells an insert from an update.
    public var lastInsertRowID: Int64 {
        get { sqlite3_last_insert_rowid(handle) }
        set { sqlite3_set_last_insert_rowid(handle, newValue) }
    }

    /// Writes the page cache's dirty pages now (to the WAL, inside a transaction), so that they can
    /// be let go: a cache made smaller keeps every dirty page until it is written.
    public func flushCache() throws {
        // Its code is the call's own: the connection's error code stays "not an error".
        let rc = sqlite3_db_cacheflush(handle)
        guard rc == SQLITE_OK else {
            throw SQLiteError(code: rc, message: String(cString: sqlite3_errstr(rc)), sql: "sqlite3_db_cacheflush")
        }
    }

    /// True while a transaction is open.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    ///
    /// The outermost level uses `BEGIN IMMEDIATE`, taking the write lock up front so a busy
    /// database fails at the start rather than halfway. Nested calls become savepoints, so an
    /// inner failure undoes only the inner work.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        let outermost = nesting.depth == 0
        if outermost { writeback?.began() }
        defer { if outermost { writeback?.ended() } }
        return try nesting.run(begin: "BEGIN IMMEDIATE", execute: execute, body)
    }

    /// From now on, a transaction that lasts has the kernel start writing the WAL's pages to disk
    /// as it goes, so its commit does not wait for all of them at once (`WritebackStarter`). For a
    /// connection that writes large transactions (the agent's writer).
    public func startsWritebackWhileWriting() {
        // SQLite's own absolute name of the file: the thread opens it by name, whatever the
        // working folder is then. Empty for an in-memory or temporary database.
        guard writeback == nil, sqlite3_db_readonly(handle, "main") == 0,
              let name = sqlite3_db_filename(handle, "main").map({ String(cString: $0) }), !name.isEmpty else { return }
        writeback = WritebackStarter(databasePath: name)
    }

    /// The schema version kept in the file header (`PRAGMA user_version`).
    public var userVersion: Int {
        get throws { Int(try int64("PRAGMA user_version") ?? 0) }
    }

    /// Brings the schema up to date: step `i` (0-based) moves the database from version `i` to
    /// `i + 1`. Pending steps run in one transaction, so a failing step leaves the database at
    /// the version it had. Steps already applied are skipped: calling this again is harmless.
    public func migrate(_ steps: [String]) throws {
        let current = try userVersion
        guard current <= steps.count else {
            throw SQLiteError(code: SQLITE_ERROR,
                              message: "database schema version is \(current) but this program knows only up to "
                                  + "\(steps.count); run the newer program or restore a backup made by this one",
                              sql: "PRAGMA user_version")
        }
        guard current < steps.count else { return }
        try transaction {
            for version in current..<steps.count {
                try execute(steps[version])
            }
            try execute("PRAGMA user_version = \(steps.count)")
        }
    }
}
