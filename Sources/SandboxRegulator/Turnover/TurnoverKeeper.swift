import Logging
import ServiceLifecycle

/// Sums the registration-exempt turnover across platforms every `interval` and sends what changed
/// (StoreSession.sendTurnoverSums). A sweep, not a mark kept by the intake: the exempt
/// storefronts are a few percent of a city (a partial index finds them) and a person's sum may
/// change with any platform's export, so reading them all at a calm pace is simpler than marking,
/// and a sum that is minutes old is soon enough for a yearly limit. The sweep reads first and
/// writes only when something changed (StoreSession.turnoverChanges). On several nodes each node
/// sweeps; what was sent is kept in the sweep's own transaction, so a change is sent once.
struct TurnoverKeeper: Service {
    let store: RegulatorStore
    let logger: Logger
    let interval: Duration
    /// Wakes this node's long polls (other nodes hear of the directives by NOTIFY).
    let ring: @Sendable () -> Void

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                // Most sweeps find nothing new: they read on a read session, and never hold the
                // write lock (and the intake behind it) for the scan.
                let due = try await store.read { try !$0.turnoverChanges().changes.isEmpty }
                let sent = due ? try await store.write { try $0.sendTurnoverSums(now: Timestamp.now()) } : []
                if !sent.isEmpty {
                    ring()
                    logger.info("exempt turnover sums sent", metadata: ["directives": "\(sent.count)"])
                }
            } catch {
                logger.error("exempt turnover sums: cannot send them; retrying", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
