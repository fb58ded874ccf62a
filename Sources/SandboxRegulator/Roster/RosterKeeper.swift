import Logging
import ServiceLifecycle

/// Decides the enterprises marked in `roster_dirty` in the background, a few hundred per write
/// turn, so the intake only marks them and staff reads find the decisions kept. Every node runs
/// one; on PostgreSQL they share the marks (a mark is taken by one transaction). A read never
/// depends on it having run (StoreSession.keptRosterMembers decides what is still marked).
struct RosterKeeper: Service {
    let store: RegulatorStore
    let logger: Logger
    /// Enterprises per write turn: small enough that a feed batch waiting behind it waits little.
    var batch = 200
    /// The pause when nothing is marked.
    var idle: Duration = .seconds(1)

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let decided = try await store.write { [batch] in try $0.refreshRoster(limit: batch, now: Timestamp.now()) }
                if decided == batch { continue }
            } catch {
                logger.error("roster decisions: cannot keep them; retrying", metadata: ["error": "\(error)"])
            }
            // A stop ends the pause at once rather than after it.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: idle) }
        }
    }
}
