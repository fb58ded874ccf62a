import Dispatch
import Logging
import NIOCore
import PostgresNIO
import SandboxStorage

/// One PostgreSQL connection as the store's synchronous session: each query is sent and waited
/// for on the store thread that runs the body (never an event loop), and transactions nest as
/// savepoints as SQLite's `Database.transaction` does (TransactionNesting).
final class PostgresSession: SQLSession {
    let connection: PostgresConnection
    private let logger: Logger
    private var cache: [String: PostgresStatement] = [:]
    private let nesting = TransactionNesting()
    private(set) var changes = 0

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    func prepare(_ sql: String) throws -> PostgresStatement {
        if let cached = cache[sql] {
            cached.reset()
            return cached
        }
        let statement = PostgresStatement(sql: sql, session: self)
        cache[sql] = statement
        return statement
    }

    /// Sends `query` and waits for its rows; remembers how many rows it changed.
    func run(_ query: PostgresQuery) throws -> PostgresQueryResult {
        let result: PostgresQueryResult
        do {
            result = try answer(connection.query(query, logger: logger))
        } catch {
            throw PostgresQueryError(error, sql: query.sql)
        }
        changes = result.metadata.rows ?? 0
        return result
    }

    /// `COPY table (columns) FROM STDIN` of rows in COPY's text format, waited for on this store
    /// thread as `run` waits: a bulk insert without an executor row per item, the heap written a
    /// page of rows at a time. A unique key violated fails it as it would fail an INSERT.
    func copy(into table: String, columns: [String], rows: PostgresCopyText) throws {
        let connection = self.connection, logger = self.logger, text = rows.buffer
        let done = connection.eventLoop.makePromise(of: Void.self)
        done.completeWithTask {
            try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                try await writer.write(text)
            }
        }
        do {
            try answer(done.futureResult)
        } catch {
            throw PostgresQueryError(error, sql: "COPY \(table) (\(columns.joined(separator: ", "))) FROM STDIN")
        }
        changes = 0
    }

    /// What `future` gives, waited for on this store thread — or an error once the connection
    /// is closed. PostgresNIO drops a query written to a connection that has just closed (the
    /// server stopped mid-batch, and the transaction's ROLLBACK went out after it) and never
    /// completes its future: the thread waited for ever, and the node ignored SIGTERM.
    private func answer<T: Sendable>(_ future: EventLoopFuture<T>) throws -> T {
        let done = DispatchSemaphore(value: 0)
        future.whenComplete { _ in done.signal() }
        while done.wait(timeout: .now() + .seconds(1)) == .timedOut {
            if connection.isClosed { throw ClosedConnection() }
        }
        return try future.wait()
    }

    /// The connection closed while a statement waited for its answer.
    struct ClosedConnection: Error, CustomStringConvertible {
        var description: String { "the connection to PostgreSQL closed before the statement was answered" }
    }

    /// Runs one statement without parameters (PostgresNIO speaks only the extended protocol,
    /// which takes one statement per query: callers split theirs).
    func execute(_ sql: String) throws {
        _ = try run(PostgresQuery(unsafeSQL: sql))
    }

    func int64(_ sql: String) throws -> Int64? {
        let s = try prepare(sql)
        defer { s.reset() }
        return try s.step() ? s.int64OrNil(0) : nil
    }

    var isInTransaction: Bool { nesting.depth > 0 }

    func transaction<T>(_ body: () throws -> T) throws -> T {
        try nesting.run(begin: "BEGIN", execute: execute, body)
    }
}
