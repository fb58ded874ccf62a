import Foundation
import NIOPosix

/// Threads of their own for the CPU work of intake — the HMAC's body digest, inflating gzip,
/// parsing and validating lines — so that it never runs on the threads that answer every other
/// request. Handlers run on Swift's cooperative pool (as many threads as cores) next to the event
/// loops; a 512 MiB gzip bomb or 100,000 items parsed there held a core for seconds, and a few at
/// once delayed `/healthz` by 20 s (issue 17 item 5).
///
/// Requests beyond `threads` queue here, each holding only its compressed body (its
/// `IntakeReservation`), so the queue is bounded by the intake budget.
public final class IntakeWorkers: Sendable {
    private let pool: NIOThreadPool
    public let threads: Int

    /// By default one core is left to the event loops, the handlers and the store.
    public static var defaultThreads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount - 1) }

    /// One set for the whole process unless `serve` makes its own: the pool's threads live as
    /// long as the process (the server and the tests create routers freely).
    public static let shared = IntakeWorkers(threads: defaultThreads)

    public init(threads: Int) {
        precondition(threads >= 1)
        self.threads = threads
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    /// Runs `work` on an intake thread and returns its result to the calling task.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(work)
    }
}
