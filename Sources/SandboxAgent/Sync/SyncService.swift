import Foundation
import Logging
import SandboxService

/// The regulator link's parts beside the pipeline, each a `ThreadService` of the agent's service
/// group: the feed batcher and the feed syncer (always; offline the syncer writes `feed-*` files)
/// and, with a regulator url, the directive poller. Each thread opens its own state connection and
/// its own regulator connection: SQLite and libcurl handles stay with the thread that made them.
public final class SyncService: @unchecked Sendable {
    let config: AgentConfig
    let clock: AgentClock
    let logger: Logger
    /// Raised by the directive poller when it activated a pack; the pipeline's policy runner takes it.
    let packChanged: PackChangeSignal
    /// How the directive poller verifies the merchants a registry change or turnover sum touches.
    let reverifier: MerchantReverifier
    /// Rung when a file committed (new queue entries); wakes the freezer.
    public let wake = SyncWake()
    /// Rung when a batch is frozen; wakes the sender.
    private let senderWake = SyncWake()

    public init(config: AgentConfig, clock: AgentClock, logger: Logger, packChanged: PackChangeSignal,
                reverifier: MerchantReverifier) {
        self.config = config
        self.reverifier = reverifier
        self.clock = clock
        self.logger = logger
        self.packChanged = packChanged
    }

    /// Opens the state for a sync thread: a writer that waits long for the pipeline's lock, which a
    /// large file holds for its whole transaction, with a small page cache — three sync
    /// connections beside the pipeline's must keep the agent's memory flat (the OS page cache
    /// holds the rest).
    static func openState(_ config: AgentConfig) throws -> AgentState {
        try AgentState(path: config.databasePath, busyTimeoutMilliseconds: 600_000, cacheKiB: 8_192)
    }

    static func makeSyncer(config: AgentConfig, clock: AgentClock, logger: Logger) throws -> FeedSyncer {
        let state = try openState(config)
        let sink: FeedSink
        if let link = config.regulator {
            let connection = try RegulatorConnection(endpoint: link.endpoint)
            sink = HTTPFeedSink(connection: connection, signature: signature(link))
        } else {
            sink = OutboxFeedSink(state: state, outbox: config.outbox)
        }
        return FeedSyncer(state: state, sink: sink, config: config, clock: clock, logger: logger)
    }

    static func makeFreezer(config: AgentConfig, clock: AgentClock, logger: Logger) throws -> FeedFreezer {
        try FeedFreezer(state: try openState(config), config: config, clock: clock, logger: logger)
    }

    /// `stop`: the service's flag, which also cuts a long poll short; nil for `run --once`.
    static func makePoller(config: AgentConfig, link: RegulatorLinkConfig, clock: AgentClock,
                           logger: Logger, packChanged: PackChangeSignal, reverifier: MerchantReverifier,
                           stop: StopFlag? = nil) throws -> DirectivePoller {
        let connection = try RegulatorConnection(endpoint: link.endpoint)
        if let stop { try connection.abortOnStop(stop) }
        return DirectivePoller(state: try openState(config), connection: connection, signature: signature(link),
                               config: config, clock: clock, logger: logger, packChanged: packChanged, reverifier: reverifier)
    }

    static func signature(_ link: RegulatorLinkConfig) -> FeedSignature {
        FeedSignature(token: link.credentials.token, secret: Array(link.credentials.hmacSecret.utf8))
    }

    /// The link's services, in the order the group starts them; it stops them in reverse — the
    /// batcher first (it freezes nothing more), then the syncer (the batch in flight is finished),
    /// then the directive poll. A part that cannot start (its state or handle does not open) throws:
    /// the group stops the others gracefully and the agent exits 1 for systemd to restart it,
    /// rather than running on with a link that silently does nothing.
    public func services(running: RunningThreads) -> [ThreadService] {
        let config = config, clock = clock, logger = logger, wake = wake, senderWake = senderWake, packChanged = packChanged
        let reverifier = reverifier
        var services: [ThreadService] = []
        if let link = config.regulator {
            services.append(ThreadService(name: "directives", running: running) { stop in
                try SyncService.makePoller(config: config, link: link, clock: clock, logger: logger, packChanged: packChanged,
                                           reverifier: reverifier, stop: stop)
                    .run { stop.isSet }
            })
        }
        services.append(ThreadService(name: "feed-sync", running: running) { stop in
            stop.onSet { senderWake.ring() }
            try SyncService.makeSyncer(config: config, clock: clock, logger: logger)
                .run(wake: senderWake, freezer: wake) { stop.isSet }
        })
        services.append(ThreadService(name: "feed-freeze", running: running) { stop in
            stop.onSet { wake.ring() }
            try SyncService.makeFreezer(config: config, clock: clock, logger: logger)
                .run(wake: wake, sender: senderWake) { stop.isSet }
        })
        return services
    }

    /// What `run --once` did on the link.
    public struct OnceSummary: Sendable {
        public var drain: FeedSyncer.DrainOutcome
        public var progress: FeedSyncer.Progress
        public var directives = 0
        public var registryChanges = 0
        public var problems: [String] = []
    }

    /// `run --once`: ask the regulator for a newer rule pack before the policy pass (nil: no
    /// link or no [policy]).
    public func pullRulePack() throws -> String? {
        guard let link = config.regulator, config.policy != nil else { return nil }
        return try Self.makePoller(config: config, link: link, clock: clock, logger: logger, packChanged: packChanged,
                                   reverifier: reverifier).pullRulePack()
    }

    /// `run --once`: deliver the whole queue (or write it offline), fetch waiting directives and
    /// registry changes, without waiting for anything new.
    public func once() throws -> OnceSummary {
        var directives = 0, registryChanges = 0
        var problems: [String] = []
        if let link = config.regulator {
            // Registry changes first: the findings they change go out in the same drain.
            let poller = try Self.makePoller(config: config, link: link, clock: clock, logger: logger, packChanged: packChanged,
                                             reverifier: reverifier)
            do { registryChanges = try poller.pullRegistryChanges() } catch { problems.append("registry changes: \(error)") }
            do { directives = try poller.pollDirectives(waitSeconds: 0) } catch { problems.append("directives: \(error)") }
        }
        let syncer = try Self.makeSyncer(config: config, clock: clock, logger: logger)
        let config = config, clock = clock, logger = logger
        let drain = try syncer.drain { wake, sender, stop in
            do {
                try SyncService.makeFreezer(config: config, clock: clock, logger: logger).drain(wake: wake, sender: sender, stop: stop)
            } catch {
                logger.error("feed batching cannot start", metadata: ["error": "\(error)"])
            }
        }
        let summary = OnceSummary(drain: drain, progress: syncer.progress, directives: directives,
                                  registryChanges: registryChanges, problems: problems)
        return summary
    }
}
