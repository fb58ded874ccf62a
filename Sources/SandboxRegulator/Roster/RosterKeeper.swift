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
    /// Whether the keeper should give way now: a staff member's bulk action in progress
    /// (RegulatorStore.foreground) and, on PostgreSQL, this node's feed batches in hand
    /// (RegulatorStore.keeperGivesWayToIntake); nil: it never waits.
    var busy: (@Sendable () -> Bool)? = nil
    /// The longest it gives way between two turns: under a steady stream of batches it still
    /// takes a turn this often.
    var patience: Duration = .seconds(5)

    func run() async throws {
        var lastTurn = ContinuousClock.now
        // Where the next turn takes up the marks: each turn reads its own (refreshRoster).
        var after = ""
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            if let busy { await giveWay(to: busy, since: lastTurn) }
            lastTurn = ContinuousClock.now
            do {
                // Asked on a reading session first: an idle keeper must not take SQLite's one
                // write turn every second from the feeds and the staff.
                let now = Timestamp.now()
                guard try await store.read({ try $0.rosterWorkDue(now: now) }) else {
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: idle) }
                    continue
                }
                let turn = try await store.write { [batch, after] in try $0.refreshRoster(limit: batch, now: Timestamp.now(), after: after) }
                after = turn.after ?? ""
                if !turn.verdicts.isEmpty {
                    ring()
                    logger.info("roster verdicts sent", metadata: ["directives": "\(turn.verdicts.count)"])
                }
                // More marks past this turn's (another node may have decided some of them), or a
                // full turn of rechecks: no pause.
                if turn.after != nil || turn.decided == batch { continue }
            } catch {
                logger.error("roster decisions: cannot keep them; retrying", metadata: ["error": "\(error)"])
            }
            // A stop ends the pause at once rather than after it.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: idle) }
        }
    }

    /// Waits while `busy` holds, up to `patience` after the last turn.
    private func giveWay(to busy: @Sendable () -> Bool, since last: ContinuousClock.Instant) async {
        while busy() && ContinuousClock.now - last < patience && !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(50)) }
        }
    }
}
