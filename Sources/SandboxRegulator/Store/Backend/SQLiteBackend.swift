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
    /// Writes since the idle checkpoint last looked, and whether it is waiting to look again.
    private let writes = NIOLockedValueBox<(count: Int, checkpointWaiting: Bool)>((0, false))
    private let inMemory: Bool

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
        self.inMemory = inMemory
        readTurns = inMemory || readers == 0 ? nil : AsyncSlots(count: readers)
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        let result = try await writeTurn.holding {
            try await StoreThreads.run { try body(self.writer) }
        }
        checkpointWhenIdle()
        return result
    }

    /// Once the writes have stopped for `quiet`, moves every committed page from the WAL into
    /// the database file (a passive checkpoint, on the writer's turn). Until then each page a
    /// reader reads is looked up among the WAL's frames first: after a load the autocheckpoint
    /// (every 16,384 pages) left up to 128 MiB of frames behind, and with 15,932 of them the
    /// city's outcome figures took 0.4–1.3 s instead of 0.1–0.2 s (sqlite3WalFindFrame 61 % of
    /// the time, perf). Once a checkpoint has taken every frame a new read ignores the WAL. A
    /// checkpoint that a long read keeps from finishing is tried again after another quiet spell.
    static let quiet: Duration = .seconds(1)

    private func checkpointWhenIdle() {
        guard !inMemory else { return }
        let start = writes.withLockedValue { w -> Bool in
            w.count += 1
            guard !w.checkpointWaiting else { return false }
            w.checkpointWaiting = true
            return true
        }
        guard start else { return }
        Task.detached { [self] in
            var seen = -1
            while true {
                try? await Task.sleep(for: Self.quiet)
                let count = writes.withLockedValue { $0.count }
                if count != seen { seen = count; continue }   // still writing: wait for a quiet spell
                let done = (try? await writeTurn.holding { try await StoreThreads.run { try self.checkpoint() } }) ?? true
                let stop = writes.withLockedValue { w -> Bool in
                    if done && w.count == seen { w.checkpointWaiting = false; return true }
                    return false
                }
                if stop { return }
            }
        }
    }

    /// A passive checkpoint; true when it took every frame of the WAL.
    private func checkpoint() throws -> Bool {
        let s = try writer.prepareUncached("PRAGMA wal_checkpoint(PASSIVE)")
        guard try s.step() else { return true }
        return s.int64(1) == s.int64(2)
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
