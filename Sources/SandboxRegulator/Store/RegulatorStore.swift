import Logging
import ServiceLifecycle
import SandboxStorage

/// The regulator's store: every platform's records, batches, directives, receipts, the registry,
/// staff and their decisions — on SQLite (`--db PATH`, the embedded default) or PostgreSQL
/// (`--db postgres://…`, several nodes). Callers run the store's queries in a `read` or a
/// `write`: `try await store.read { try $0.profile(uscc: u, now: t) }`. The body runs on a store
/// thread with a session of its own, so no query blocks an event loop and, on either engine, a
/// long staff read does not hold up intake (docs/store.md).
public final class RegulatorStore: Sendable {
    let backend: any StoreBackend
    let packCache = CompiledPackCache()

    init(backend: any StoreBackend) {
        self.backend = backend
    }

    /// Opens (creating if needed) the SQLite store at `path` and brings its schema up to date.
    public convenience init(path: String) throws {
        self.init(backend: try SQLiteBackend(path: path))
    }

    /// Opens the store at `location`: a `postgres://` URL (PostgresLocation) or a SQLite file's
    /// path. `connections` bounds this node's PostgreSQL connections. Blocks while it connects
    /// and migrates; from async code use `open`.
    public convenience init(location: String, connections: Int = 8,
                            logger: Logger = Logger(label: "sandbox-regulator.store")) throws {
        if PostgresLocation.isPostgres(location) {
            self.init(backend: try PostgresBackend(location: try PostgresLocation(location), connections: connections, logger: logger))
        } else {
            try self.init(path: location)
        }
    }

    /// `init(location:)` on a store thread, so an event loop never waits for the connection.
    public static func open(_ location: String, connections: Int = 8,
                            logger: Logger = Logger(label: "sandbox-regulator.store")) async throws -> RegulatorStore {
        try await StoreThreads.run { try RegulatorStore(location: location, connections: connections, logger: logger) }
    }

    /// Runs `body` with a session that reads (on SQLite, one of the reading connections).
    public func read<T: Sendable>(_ body: @escaping @Sendable (StoreSession) throws -> T) async throws -> T {
        let dialect = backend.dialect, packCache = packCache
        return try await backend.read { try body(StoreSession(database: $0, dialect: dialect, packCache: packCache)) }
    }

    /// Runs `body` with the session that writes; on SQLite writes take turns in arrival order.
    public func write<T: Sendable>(_ body: @escaping @Sendable (StoreSession) throws -> T) async throws -> T {
        let dialect = backend.dialect, packCache = packCache
        return try await backend.write { try body(StoreSession(database: $0, dialect: dialect, packCache: packCache)) }
    }

    /// On PostgreSQL, a service that calls `ring` whenever any node writes a directive (so long
    /// polls on this node wake); nil on SQLite, where every directive is written in this process.
    public func directiveWakeups(logger: Logger, ring: @escaping @Sendable () -> Void) -> (any Service)? {
        guard let postgres = backend as? PostgresBackend else { return nil }
        return PostgresDirectiveListener(location: postgres.location, logger: logger, ring: ring)
    }

    /// Enterprises the roster keeper decides per write turn. On SQLite a turn holds the one
    /// write turn, so feed batches wait behind it: a few hundred. On PostgreSQL it holds nothing
    /// the intake waits for (the marks have no key) and every statement is a round trip, which on
    /// a busy machine is mostly the wait to be scheduled: larger turns, fewer round trips.
    public var rosterTurn: Int { backend is PostgresBackend ? 1_000 : 200 }

    /// Staff work in progress that the roster keeper gives way to, on both engines (ForegroundWork).
    public let foreground = ForegroundWork()

    /// Whether the roster keeper waits while the node has feed batches in hand (RosterKeeper).
    /// On SQLite a keeper's turn waits in the one line of write turns behind the batches that
    /// came first; on PostgreSQL nothing ordered them, and during a load the keeper decided five
    /// times the enterprises SQLite's did, on the cores the batches needed (measured:
    /// docs/benchmarks.md, issue 15). What it leaves is decided when the batches pause, and a
    /// staff read decides what is still marked itself.
    public var keeperGivesWayToIntake: Bool { backend is PostgresBackend }

    /// Tells the store a feed batch of `items` was applied: on PostgreSQL the node now and then
    /// brings the planner's statistics up to date while the store fills (PlannerStatistics).
    public func intakeApplied(items: Int) {
        (backend as? PostgresBackend)?.noteIntake(items: items)
    }

    /// Answers when the database does (for /healthz).
    public func ping() async throws {
        try await read { _ = try $0.database.int64("SELECT 1") }
    }

    /// Closes the store's connections.
    public func close() async {
        let backend = backend
        _ = try? await StoreThreads.run { backend.close() }
    }
}
