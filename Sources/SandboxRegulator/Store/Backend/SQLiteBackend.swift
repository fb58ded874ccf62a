import NIOConcurrencyHelpers
import SandboxStorage

/// The embedded store: one SQLite file in WAL mode, one writing connection and a few reading
/// ones. WAL lets readers see the last commit while the writer works, so a staff query scanning
/// the records no longer holds up a feed batch (it did when one actor owned one connection), and
/// writes still go one at a time, in arrival order, as SQLite requires.
final class SQLiteBackend: StoreBackend, @unchecked Sendable {
    // @unchecked: `writer` is used only holding `writeTurn`; `idleReaders` only under its lock.
    let dialect = SQLDialect.sqlite
    private let writer: Database
    private let writeTurn = AsyncSlots(count: 1)
    private let readTurns: AsyncSlots?
    private let idleReaders = NIOLockedValueBox<[Database]>([])
    private let path: String

    /// Opens (creating if needed) the file at `path` and brings its schema up to date.
    /// `readers` connections at most serve reads (0: the writer serves them too, as an in-memory
    /// database must, since another connection would see another database).
    init(path: String, readers: Int = 4) throws {
        self.path = path
        let writer = try Database(path: path)
        self.writer = writer
        // 64 MiB of page cache (a ceiling, not a reservation): with SQLite's 2 MB default, half
        // of a feed batch's time went to the kernel copying the same pages in and out again.
        try writer.execute("PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 16384; PRAGMA mmap_size = 1073741824;")
        // The pending steps and the Swift part of the outcome counts' step (the counts of the
        // records already stored) commit together: the table never exists without them.
        let before = try writer.userVersion
        try writer.transaction {
            try writer.migrate(RegulatorSchema.steps)
            if before < RegulatorSchema.outcomeFiguresVersion { try OutcomeCountsBackfill.run(writer) }
        }
        let inMemory = path == ":memory:" || path.isEmpty || path.hasPrefix("file::memory:")
        readTurns = inMemory || readers == 0 ? nil : AsyncSlots(count: readers)
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        try await writeTurn.holding {
            try await StoreThreads.run { try body(self.writer) }
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        guard let readTurns else { return try await write(body) }
        return try await readTurns.holding {
            try await StoreThreads.run {
                let reader = try self.takeReader()
                defer { self.idleReaders.withLockedValue { $0.append(reader) } }
                return try body(reader)
            }
        }
    }

    /// An idle reading connection, opened on first need (holding a read turn, so never more
    /// than `readers` of them).
    private func takeReader() throws -> Database {
        if let idle = idleReaders.withLockedValue({ $0.popLast() }) { return idle }
        let reader = try Database(path: path, readOnly: true)
        try reader.execute("PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 1073741824;")
        return reader
    }

    func close() {
        idleReaders.withLockedValue { $0.removeAll() }
    }
}
