import Logging
import ServiceLifecycle

/// Decides the enterprises marked in `roster_dirty` in the background, a few hundred per write
/// turn, so the intake only marks them and staff reads find the decisions kept. Every node runs
/// one; on PostgreSQL they share the marks (a mark is taken by one transaction). A read never
/// depends on it having run (StoreSession.keptRosterMembers decides what is still marked).
/// The verdicts a decision sends to the platforms ring the directive bell, as any directive does.
struct RosterKeeper: Service {
    let store: RegulatorStore
    let logger: Logger
    /// Wakes this node's long polls (other nodes hear of the directives by NOTIFY).
    let ring: @Sendable () -> Void
    /// Enterprises per write turn: small enough that a feed batch waiting behind it waits little
    /// (`serve` takes RegulatorStore.rosterTurn: larger on PostgreSQL, where none waits).
    var batch = 200
    /// The pause when nothing is marked.
    var idle: Duration = .seconds(1)

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                // Asked on a reading session first: an idle keeper must not take SQLite's one
                // write turn every second from the feeds and the staff.
                let now = Timestamp.now()
                guard try await store.read({ try $0.rosterWorkDue(now: now) }) else {
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: idle) }
                    continue
                }
                let turn = try await store.write { [batch] in try $0.refreshRoster(limit: batch, now: Timestamp.now()) }
                if !turn.verdicts.isEmpty {
                    ring()
                    logger.info("roster verdicts sent", metadata: ["directives": "\(turn.verdicts.count)"])
                }
                if turn.decided == batch { continue }
            } catch {
                logger.error("roster decisions: cannot keep them; retrying", metadata: ["error": "\(error)"])
            }
            // A stop ends the pause at once rather than after it.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: idle) }
        }
    }
}
