import Glibc
import Logging
import SandboxCore
import SandboxService
import ServiceLifecycle

/// The running agent, assembled: the inbox pass (`InboxPass`) for `run --once`, and for the
/// service the swift-service-lifecycle group of the pipeline's loop (`PipelineLoop`), the
/// regulator link (`SyncService`), the SIGHUP reload and systemd's notices — then, after a
/// reload, the same command line again (`Reexecution`). It only wires; each part does one job.
///
/// `@unchecked Sendable`: in service mode the runner is handed to the pipeline's thread and used
/// there alone; the main thread touches only its immutable config until that thread has finished.
public final class AgentRunner: @unchecked Sendable {
    public let config: AgentConfig
    let clock: AgentClock
    let logger: Logger
    let inboxPass: InboxPass
    /// systemd's notify socket (a no-op outside systemd).
    let notifier = SystemdNotifier()
    /// The sandbox policy (docs/policy.md): passes after new data and at due times.
    public var policy: PolicyRunner { inboxPass.policy }
    /// The agent.conf to re-read on SIGHUP; nil: SIGHUP is logged and ignored.
    public var configPath: String?

    public init(config: AgentConfig, clock: AgentClock, logger: Logger) throws {
        self.config = config
        self.clock = clock
        self.logger = logger
        inboxPass = try InboxPass(config: config, clock: clock, logger: logger, notifier: notifier)
    }

    /// `run --once` on a terminal: a progress line per file (never in the service).
    public var progress: ProgressDisplay? {
        get { inboxPass.processor.progress }
        set { inboxPass.processor.progress = newValue }
    }

    /// Processes everything claimed or waiting now (`InboxPass.run`).
    public func pass(everything: Bool, stop: StopFlag? = nil) throws -> PassSummary {
        try inboxPass.run(everything: everything, stop: stop)
    }

    /// The regulator link, its directive poller verifying merchants the pipeline's way and
    /// telling this runner's policy when a pack from the regulator became active.
    public func regulatorLink() -> SyncService {
        SyncService(config: config, clock: clock, logger: logger, packChanged: policy.packChanged,
                    reverifier: .pipeline(config: config, clock: clock, logger: logger, verification: policy.verification))
    }

    /// Runs the service until SIGTERM or SIGINT. Every long-running part is a service of one
    /// swift-service-lifecycle group — the pipeline (inbox, policy, metrics, watchdog), the feed
    /// batcher, the feed syncer, the directive poll, the SIGHUP reload and systemd's notices —
    /// and every part that blocks runs on a thread of its own (`ThreadService`).
    ///
    /// On SIGTERM the group stops the parts in reverse order: systemd hears STOPPING=1 first,
    /// then the pipeline finishes the file in hand, the batcher stops, the syncer finishes the
    /// batch in flight, the poll ends. If that takes longer than `agent.stop_timeout_seconds`, the
    /// rest is cut off: nothing it had not committed is lost (the file stays claimed, the batch
    /// queued) and it is redone at the next start. SIGHUP with a good config ends the same way,
    /// then re-executes the agent in place.
    ///
    /// Call `ServiceSignals.blockInThisThread()` on the main thread before anything starts a thread.
    public func runUntilStopped() throws {
        let sync = regulatorLink()
        let running = RunningThreads()
        let reload = ReloadRequest()
        let notifier = notifier
        func part(_ service: any Service) -> ServiceGroupConfiguration.ServiceConfiguration {
            // A part that returns or throws on its own stops the whole agent, gracefully: systemd
            // restarts it (exit 1), rather than it running on with a part missing.
            .init(service: service, successTerminationBehavior: .gracefullyShutdownGroup,
                  failureTerminationBehavior: .gracefullyShutdownGroup)
        }
        // directives, feed-sync, feed-freeze: stopped after the pipeline in reverse — the batcher, then
        // the syncer with the batch in flight, then the poll.
        var parts = sync.services(running: running).map(part)
        parts.append(part(ThreadService(name: "pipeline", running: running) { [self] stop in
            try PipelineLoop(pass: inboxPass, vitals: ServiceVitals(config: config, clock: clock, logger: logger),
                             wake: sync.wake, notifier: notifier).run(stop: stop)
        }))
        parts.append(part(ConfigReload(configPath: configPath, notifier: notifier, logger: logger, request: reload).service))
        // A reload already said RELOADING=1; a stop says STOPPING=1.
        parts.append(part(SystemdService(notifier: notifier, stopNotice: { if !reload.isSet { notifier.stopping() } })))
        var groupConfig = ServiceGroupConfiguration(services: parts, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfig.maximumGracefulShutdownDuration = .seconds(config.stopTimeoutSeconds)

        var failure: Error?
        do {
            try BlockingRun.run(ServiceGroup(configuration: groupConfig))
        } catch {
            failure = error
            logger.critical("agent stopping: a part of it failed", metadata: ["error": "\(error)"])
        }
        let cut = running.stillRunning
        if !cut.isEmpty {
            logger.warning("stop took longer than agent.stop_timeout_seconds; work in hand was cut off, not lost: it was not committed and is redone at the next start",
                           metadata: ["parts": "\(cut.joined(separator: ","))", "stop_timeout_s": "\(config.stopTimeoutSeconds)"])
        }
        if reload.isSet && failure == nil {
            try Reexecution.replaceProcess(logger: logger)
        }
        if failure == nil { Heartbeat.remove(config) }
        logger.info("agent stopped")
        if !cut.isEmpty {
            // Threads still run: leave without exit handlers racing them (their transactions are
            // rolled back by SQLite when the process is gone).
            fflush(nil)
            _exit(failure == nil ? 0 : 1)
        }
        if let failure { throw failure }
    }
}
