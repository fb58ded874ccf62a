/// Transactions that nest as savepoints, for any connection that runs SQL text: the outermost
/// level opens with `begin` and commits, an inner one is a savepoint, so an inner failure undoes
/// only the inner work. Shared by SQLite's `Database` and the regulator's PostgreSQL session.
/// A class, because a body's nested call runs while the outer call is still in progress.
public final class TransactionNesting {
    public private(set) var depth = 0

    public init() {}

    /// Runs `body` between `begin` (outermost) or a savepoint and COMMIT or RELEASE; rolls back
    /// what it did when it throws. Each statement goes through `execute`, one at a time.
    public func run<T>(begin: String, execute: (String) throws -> Void, _ body: () throws -> T) throws -> T {
        let savepoint = "level\(depth)"
        try execute(depth == 0 ? begin : "SAVEPOINT \(savepoint)")
        depth += 1
        let result: T
        do {
            result = try body()
            try execute(depth == 1 ? "COMMIT" : "RELEASE SAVEPOINT \(savepoint)")
        } catch {
            depth -= 1
            // Undo; if even that fails (the connection is broken) the body's error is the one to report.
            if depth == 0 {
                try? execute("ROLLBACK")
            } else {
                try? execute("ROLLBACK TO SAVEPOINT \(savepoint)")
                try? execute("RELEASE SAVEPOINT \(savepoint)")
            }
            throw error
        }
        depth -= 1
        return result
    }
}
