import SandboxStorage

/// Where the regulator's store keeps its tables: SQLite (one file, one city, the embedded
/// default) or PostgreSQL (several nodes, a province or the country). Both lend a session to
/// one body at a time, on a store thread; reads and writes are told apart so SQLite can serve
/// reads from connections of their own while its one writer commits.
protocol StoreBackend: Sendable {
    var dialect: SQLDialect { get }
    /// Runs `body` on a session that may only read.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T
    /// Runs `body` on a session that may write (in turn with every other write, on SQLite).
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T
    /// Closes every idle connection (blocking while they close); the store must not be used afterwards.
    func close()
}
