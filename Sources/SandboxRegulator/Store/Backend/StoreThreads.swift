import NIOPosix

/// The threads the store's blocking work runs on: SQLite calls and PostgreSQL sessions waiting
/// for their answers. Never the server's event loops, which must keep answering `/healthz`,
/// long polls and other platforms while a batch is written or a staff query scans.
enum StoreThreads {
    /// One pool for the process, started once and never stopped (it lives as long as the process).
    /// More threads than cores: most of the time they wait on I/O or a lock, not the CPU.
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 16)
        pool.start()
        return pool
    }()

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }
}
