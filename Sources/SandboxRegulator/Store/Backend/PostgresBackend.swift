import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PostgresNIO
import SandboxCore
import SandboxStorage

/// The store on PostgreSQL, for several regulator nodes on one database: a small pool of
/// connections per node, each lent to one body at a time on a store thread. Reads and writes
/// both take a pooled connection; PostgreSQL's MVCC keeps readers and the writers apart, and a
/// body's transaction is its own, so nothing in this process makes one request wait for
/// another beyond the pool's size.
final class PostgresBackend: StoreBackend, @unchecked Sendable {
    // @unchecked: `idle` is behind its lock; a session is used by one body at a time.
    let dialect = SQLDialect.postgres
    let location: PostgresLocation
    private let logger: Logger
    private let turns: AsyncSlots
    private let idle = NIOLockedValueBox<[PostgresSession]>([])
    private let opened = NIOLockedValueBox<Int>(0)
    /// When this node last checked the planner's picture of the records (PlannerStatistics).
    let plannerStatistics = PlannerStatistics()

    /// Connects, and brings the schema up to date under an advisory lock, so nodes that start
    /// together apply each step once. Blocks while it connects: call it off the event loops.
    init(location: PostgresLocation, connections: Int = 8, logger: Logger) throws {
        self.location = location
        self.logger = logger
        turns = AsyncSlots(count: max(1, connections))
        let session = try openSession()
        try PostgresMigrator.migrate(session)
        Self.warnOfLostCommits(session, logger: logger)
        idle.withLockedValue { $0.append(session) }
    }

    /// A batch answered to an agent must survive a crash of the database: the agent forgets what
    /// was acknowledged. With `synchronous_commit = off` a commit returns before its WAL is
    /// flushed, and the last few hundred milliseconds of acknowledged batches can be lost; say so
    /// once at start (docs/operations.md; the throwaway test cluster runs so on purpose).
    private static func warnOfLostCommits(_ session: PostgresSession, logger: Logger) {
        guard let setting = try? session.prepare("SELECT current_setting('synchronous_commit')"),
              (try? setting.step()) == true, setting.string(0) == "off" else { return }
        logger.warning("""
            synchronous_commit is off on this database: batches acknowledged to the agents in the last moments before \
            a database crash can be lost; set it to on (docs/operations.md)
            """)
    }

    /// After this node applied a feed batch of `items`: now and then, on a pooled connection and
    /// off the batch's answer, the planner's statistics brought up to date (PlannerStatistics).
    func noteIntake(items: Int) {
        guard plannerStatistics.noteApplied(items) else { return }
        Task.detached { [self] in
            let started = ContinuousClock.now
            do {
                let refresh = try await write { try PlannerStatistics.refresh($0) }
                plannerStatistics.checked(records: refresh.records)
                if refresh.analysed {
                    logger.info("planner statistics refreshed: the records more than doubled since the last count", metadata: [
                        "records": "\(refresh.records)", "planner_records": "\(refresh.plannerRecords)",
                        "seconds": "\((started.duration(to: .now).inSeconds * 1_000).rounded() / 1_000)"])
                }
            } catch {
                plannerStatistics.checked(records: nil)
                logger.warning("could not refresh the planner's statistics; autovacuum will, later", metadata: ["error": "\(error)"])
            }
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        try await lend(body)
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        try await lend(body)
    }

    private func lend<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        try await turns.holding {
            try await StoreThreads.run {
                let session = try self.takeSession()
                do {
                    let result = try body(session)
                    self.idle.withLockedValue { $0.append(session) }
                    return result
                } catch {
                    // A connection that broke, or whose transaction could not be rolled back, is
                    // dropped; the next body opens a new one.
                    if session.connection.isClosed || session.isInTransaction {
                        try? session.connection.close().wait()
                    } else {
                        self.idle.withLockedValue { $0.append(session) }
                    }
                    throw error
                }
            }
        }
    }

    /// An idle session, or a new connection (holding a turn, so never more than `connections`).
    private func takeSession() throws -> PostgresSession {
        while let session = idle.withLockedValue({ $0.popLast() }) {
            if !session.connection.isClosed { return session }
        }
        return try openSession()
    }

    private func openSession() throws -> PostgresSession {
        let id = opened.withLockedValue { $0 += 1; return $0 }
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: location.configuration,
                id: id, logger: logger).wait()
        } catch {
            throw StoreLocationError("\(location.display): cannot connect (\(String(reflecting: error))); check that the server runs and accepts this user")
        }
        return PostgresSession(connection: connection, logger: logger)
    }

    func close() {
        let sessions = idle.withLockedValue { all in defer { all.removeAll() }; return all }
        for session in sessions { try? session.connection.close().wait() }
    }
}
