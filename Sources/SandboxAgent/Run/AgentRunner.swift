import Glibc
import Logging
import SandboxCore
import SandboxService
import ServiceLifecycle

/// The agent's main loop: finish what was claimed before a restart, then take inbox files in
/// arrival order, woken by inotify and by a periodic rescan.
///
/// `@unchecked Sendable`: in service mode the runner is handed to the pipeline's thread and used
/// there alone; the main thread touches only its immutable config until that thread has finished.
public final class AgentRunner: @unchecked Sendable {
    public let config: AgentConfig
    let clock: AgentClock
    let logger: Logger
    let state: AgentState
    let inbox: Inbox
    let processor: ExportProcessor
    /// The sandbox policy (docs/policy.md): passes after new data and at due times.
    public let policy: PolicyRunner
    /// A commit that failed for want of space: status, metrics, an alert, a log that says so.
    let diskFull: DiskFullAlarm
    /// How long the service waits before retrying a file left for retry (disk full, database busy).
    public static let retryLaterSeconds: Int64 = 30

    /// What one pass over the inbox did.
    public struct PassSummary: Sendable {
        public var applied = 0, duplicates = 0, failed = 0, retryLater = 0
        public var rowsAccepted = 0, rowsRejected = 0, rowsUnchanged = 0
        /// Merchants whose findings the daily calendar re-verification changed (nil: not run).
        public var calendarFindingsChanged: Int?
        /// Inbox entries newly reported as not files (folders, pipes, unusable names).
        public var oddities = 0
        /// What the daily retention pass removed (nil: not run in this pass).
        var pruned: Retention.Pruned?
        /// What the policy pass decided (nil: no pass ran).
        public var policy: PolicyRunner.Report?
        public var outcomes: [(file: String, outcome: FileOutcome)] = []
    }

    public init(config: AgentConfig, clock: AgentClock, logger: Logger) throws {
        self.config = config
        self.clock = clock
        self.logger = logger
        try AgentFolders.prepare(config, logger: logger)
        OutboxFile.removeLeftovers(in: config.outbox)
        OutboxFile.removeLeftovers(in: config.failedDir)
        state = try AgentState(path: config.databasePath)
        inbox = Inbox(folder: config.inbox, workFolder: config.workDir, settleSeconds: config.settleSeconds)
        processor = ExportProcessor(config: config, state: state, verifier: QualificationVerifier(policy: .standard),
                                    logger: logger)
        policy = PolicyRunner(state: state, config: config, logger: logger)
        oddities = InboxOddityReport(state: state, config: config, logger: logger)
        diskFull = DiskFullAlarm(config: config, logger: logger)
    }

    /// Inbox entries that are not files, reported once each.
    let oddities: InboxOddityReport

    /// A policy pass when there is new data (files applied, calendar findings changed, regulator
    /// directives waiting) or something is due; a failure is logged and retried at the next wake.
    private func runPolicy(after summary: PassSummary) -> PolicyRunner.Report? {
        guard config.policy != nil else { return nil }
        let now = clock.unixTime
        policy.start(now: now)
        let newData = summary.applied > 0 || (summary.calendarFindingsChanged ?? 0) > 0
        let directives = ((try? state.pendingSandboxDirectives()) ?? []).isEmpty == false
            || ((try? state.pendingProposalDecisions()) ?? []).isEmpty == false
        guard newData || directives || policy.isDue(now: now) else { return nil }
        do {
            return try policy.run(now: now)
        } catch {
            logger.error("policy pass failed; will retry", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Processes everything claimed or waiting now. `everything` takes unsettled files too (the
    /// operator's `--once` says the inbox is complete). With `stop` set, no further file is
    /// claimed; the one in hand is finished.
    public func pass(everything: Bool, stop: StopFlag? = nil) throws -> PassSummary {
        var summary = PassSummary()
        for claim in try inbox.unfinishedClaims() {
            record(processor.take(claim, clock: clock), for: claim, into: &summary)
        }
        do {
            summary.calendarFindingsChanged = try processor.reverifyIfNewDay(clock: clock)
        } catch {
            // Files still go on; the pass is tried again at the next wake-up.
            logger.error("calendar re-verification failed; will retry", metadata: ["error": "\(error)"])
        }
        do {
            summary.pruned = try Retention(config: config, state: state, logger: logger).pruneIfNewDay(clock: clock)
        } catch {
            logger.error("retention pruning failed; will retry", metadata: ["error": "\(error)"])
        }
        do {
            summary.oddities = try oddities.update(found: inbox.oddities(), now: clock.unixTime)
        } catch {
            logger.error("cannot report the inbox's non-file entries; will retry", metadata: ["error": "\(error)"])
        }
        while stop?.isSet != true {
            // Settling compares file times with the real clock, whatever day a drill pretends.
            let now = AgentClock.realUnixTime()
            let ready = try inbox.readyFiles(now: everything ? Int64.max / 2 : now).filter { !isBackingOff($0.name, now: now) }
            guard let entry = ready.first else { break }
            let claim: ClaimedFile
            do {
                claim = try inbox.claim(entry, now: clock.unixNanoseconds)
            } catch {
                // Gone since the listing, or not ours to move: leave it, try the others.
                logger.warning("cannot claim inbox file", metadata: ["file": "\(entry.name)", "error": "\(error)"])
                // Not again before the next rescan: no busy loop, no log line every half second.
                claimBackoff[entry.name] = now + Int64(config.rescanIntervalSeconds)
                continue
            }
            notifier.keepAlive(nowMs: AgentClock.realUnixMilliseconds())
            // A link could point anywhere; we read only regular files in our folder.
            let outcome = processor.take(claim, clock: clock)
            record(outcome, for: claim, into: &summary)
            if case .retryLater = outcome { break }
        }
        // On a stop the file in hand was the batch; the pass it would trigger (seconds at full
        // scale, a minute for a first activation) is left to the next start, which always runs
        // one — deciding later loses nothing, a cut-off pass would only be redone.
        if stop?.isSet == true {
            if config.policy != nil && summary.applied > 0 { logger.info("stopping: the policy pass is left for the next start") }
        } else {
            summary.policy = runPolicy(after: summary)
        }
        diskFull.passEnded(state.takeCommitTally())
        return summary
    }

    private func record(_ outcome: FileOutcome, for claim: ClaimedFile, into summary: inout PassSummary) {
        summary.outcomes.append((claim.originalName, outcome))
        switch outcome {
        case .applied(let a, let r, let u, _):
            summary.applied += 1; summary.rowsAccepted += a; summary.rowsRejected += r; summary.rowsUnchanged += u
        case .duplicate: summary.duplicates += 1
        case .failed: summary.failed += 1
        case .retryLater(let reason):
            summary.retryLater += 1
            logger.error("file left for retry", metadata: ["file": "\(claim.originalName)", "reason": "\(reason)"])
        }
    }

    /// The agent.conf to re-read on SIGHUP; nil: SIGHUP is logged and ignored.
    public var configPath: String?

    /// `run --once` on a terminal: a progress line per file (never in the service).
    public var progress: ProgressDisplay? {
        get { processor.progress }
        set { processor.progress = newValue }
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
        let sync = SyncService(config: config, clock: clock, logger: logger, packChanged: policy.packChanged)
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
            try serve(wake: sync.wake, stop: stop)
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
            try reexecute()
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

    /// The pipeline's loop, on its own thread: inbox passes (woken by inotify, settle times and
    /// the policy's next due instant), STATUS= lines, metrics, the heartbeat and the watchdog
    /// keep-alives — from this loop, because it is the pipeline's liveness they vouch for.
    private func serve(wake: SyncWake, stop: StopFlag) throws {
        let watcher = try InboxWatcher(folder: config.inbox)
        let interrupt = watcher.interrupt
        stop.onSet { interrupt.ring() }  // a stop ends the watcher's wait at once
        let target = config.regulator?.endpoint.baseURL ?? "offline: feeds go to the outbox"
        logger.info("agent started", metadata: [
            "platform_id": "\(config.platformID)", "inbox": "\(config.inbox)", "regulator": "\(target)"])
        notifier.ready(status: "watching \(config.inbox); regulator \(target)")
        diskFull.retryNote = "the agent retries every \(AgentRunner.retryLaterSeconds) s by itself, no restart needed"
        Heartbeat.touch(config)
        var lastBeat = AgentClock.realUnixTime()
        var lastMetrics: Int64 = 0
        var totals = PassSummary()
        var lastRescan: Int64 = 0
        var backoffUntil: Int64 = 0
        while !stop.isSet {
            let now = AgentClock.realUnixTime()
            if now >= backoffUntil {
                do {
                    let summary = try pass(everything: false, stop: stop)
                    backoffUntil = summary.retryLater > 0 ? now + AgentRunner.retryLaterSeconds : 0
                    if !summary.outcomes.isEmpty {
                        totals.applied += summary.applied; totals.failed += summary.failed
                        totals.duplicates += summary.duplicates
                        if !stop.isSet { notifier.status(statusLine(totals, last: summary)) }
                        writeMetrics()
                        lastMetrics = AgentClock.realUnixTime()
                    }
                    // New queue entries are committed: the syncer need not wait for its timer.
                    if summary.applied > 0 || (summary.calendarFindingsChanged ?? 0) > 0 || summary.policy != nil { wake.ring() }
                } catch {
                    // The inbox or work folder cannot be listed (permissions, unmounted): say so
                    // and try again later rather than exit.
                    logger.error("cannot scan the inbox; retrying in 30 s", metadata: ["error": "\(error)"])
                    backoffUntil = now + 30
                }
                lastRescan = now
            }
            // Sleep in slices: the heartbeat, metrics and keep-alives go on; a stop ends the slice.
            var waited: Int64 = 0
            while !stop.isSet && waited < Int64(config.rescanIntervalSeconds) * 1000 {
                notifier.keepAlive(nowMs: AgentClock.realUnixMilliseconds())
                if AgentClock.realUnixTime() - lastBeat >= 5 { Heartbeat.touch(config); lastBeat = AgentClock.realUnixTime() }
                if AgentClock.realUnixTime() - lastMetrics >= Int64(config.metricsIntervalSeconds) {
                    writeMetrics()
                    lastMetrics = AgentClock.realUnixTime()
                }
                let wake = watcher.wait(milliseconds: 500)
                waited += 500
                if !wake.announced.isEmpty || wake.overflow {
                    inbox.announce(wake.announced)
                    break
                }
                if AgentClock.realUnixTime() - lastRescan >= Int64(config.settleSeconds), hasSettledCandidates() { break }
                // The deadline clock: the next due instant is kept in memory, so this costs no query.
                if policy.isDue(now: clock.unixTime) { break }
            }
        }
        // The last figures, so the textfile does not show a stale queue until the next start.
        writeMetrics()
    }

    /// Rewrites the metrics text file, when one is configured; a failure is logged, never fatal.
    private func writeMetrics() {
        guard let path = config.metricsTextfile else { return }
        do {
            let status = try AgentStatus.collect(config: config, clock: clock)
            try MetricsText.write(MetricsText.render(status, nowUnix: clock.unixTime, startedAt: startedAt), to: path)
        } catch {
            logger.warning("cannot write the metrics file", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }

    /// Replaces this process by a fresh run of the same command line (same PID). SQLite and
    /// inotify descriptors are close-on-exec, so the new run opens everything anew.
    private func reexecute() throws {
        let arguments = CommandLine.arguments
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        execv("/proc/self/exe", &argv)
        let reason = String(cString: strerror(errno))
        for p in argv { free(p) }
        logger.critical("cannot re-execute to apply agent.conf; exiting so systemd restarts the agent", metadata: ["error": "\(reason)"])
        throw ReloadFailure(reason: reason)
    }

    struct ReloadFailure: Error, CustomStringConvertible {
        let reason: String
        var description: String { "re-executing the agent failed: \(reason)" }
    }

    /// systemd's notify socket (a no-op outside systemd).
    let notifier = SystemdNotifier()
    /// When this process started serving (real time), for the metrics.
    private let startedAt = AgentClock.realUnixTime()

    private func statusLine(_ totals: PassSummary, last: PassSummary) -> String {
        let file = last.outcomes.last.map { " last \($0.file)" } ?? ""
        let queued = (try? state.feedQueueDepth().count) ?? 0
        return "since start: \(totals.applied) file(s) applied, \(totals.duplicates) duplicate, \(totals.failed) failed;"
            + "\(file); feed queue \(queued)"
    }

    /// True when a file that waited for its settle time is now ready, so the loop takes it promptly
    /// rather than at the next rescan.
    private func hasSettledCandidates() -> Bool {
        let now = AgentClock.realUnixTime()
        return ((try? inbox.readyFiles(now: now)) ?? []).contains { !isBackingOff($0.name, now: now) }
    }

    /// Inbox files that could not be claimed, and when to try again.
    private var claimBackoff: [String: Int64] = [:]

    private func isBackingOff(_ name: String, now: Int64) -> Bool {
        guard let until = claimBackoff[name] else { return false }
        if now >= until { claimBackoff[name] = nil; return false }
        return true
    }
}
