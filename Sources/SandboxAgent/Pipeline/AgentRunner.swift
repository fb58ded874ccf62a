import Glibc
import Logging
import SandboxCore

/// The agent's main loop: finish what was claimed before a restart, then take inbox files in
/// arrival order, woken by inotify and by a periodic rescan.
public final class AgentRunner {
    public let config: AgentConfig
    let clock: AgentClock
    let logger: Logger
    let state: AgentState
    let inbox: Inbox
    let processor: ExportProcessor
    /// The sandbox policy (docs/policy.md): passes after new data and at due times.
    public let policy: PolicyRunner

    /// What one pass over the inbox did.
    public struct PassSummary: Sendable {
        public var applied = 0, duplicates = 0, failed = 0, retryLater = 0
        public var rowsAccepted = 0, rowsRejected = 0, rowsUnchanged = 0
        /// Merchants whose findings the daily calendar re-verification changed (nil: not run).
        public var calendarFindingsChanged: Int?
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
        for folder in [config.inbox, config.outbox, config.stateDir, config.workDir, config.archiveDir, config.failedDir] {
            try FileSystem.createDirectories(folder)
        }
        OutboxFile.removeLeftovers(in: config.outbox)
        OutboxFile.removeLeftovers(in: config.failedDir)
        state = try AgentState(path: config.databasePath)
        inbox = Inbox(folder: config.inbox, workFolder: config.workDir, settleSeconds: config.settleSeconds)
        processor = ExportProcessor(config: config, state: state, verifier: QualificationVerifier(policy: .standard),
                                    logger: logger)
        policy = PolicyRunner(state: state, config: config, logger: logger)
    }

    /// A policy pass when there is new data (files applied, calendar findings changed, regulator
    /// directives waiting) or something is due; a failure is logged and retried at the next wake.
    private func runPolicy(after summary: PassSummary) -> PolicyRunner.Report? {
        guard config.policy != nil else { return nil }
        let now = clock.unixTime
        policy.start(now: now)
        let newData = summary.applied > 0 || (summary.calendarFindingsChanged ?? 0) > 0
        let directives = ((try? state.pendingSandboxDirectives()) ?? []).isEmpty == false
        guard newData || directives || policy.isDue(now: now) else { return nil }
        do {
            return try policy.run(now: now)
        } catch {
            logger.error("policy pass failed; will retry", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Processes everything claimed or waiting now. `everything` takes unsettled files too (the
    /// operator's `--once` says the inbox is complete).
    public func pass(everything: Bool) throws -> PassSummary {
        var summary = PassSummary()
        for claim in try inbox.unfinishedClaims() {
            record(processor.process(claim, clock: clock), for: claim, into: &summary)
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
        while !AgentRunner.stopRequested {
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
            let outcome = entry.isSymbolicLink ? processor.rejectLink(claim, clock: clock) : processor.process(claim, clock: clock)
            record(outcome, for: claim, into: &summary)
            if case .retryLater = outcome { break }
        }
        summary.policy = runPolicy(after: summary)
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

    /// Runs until SIGTERM or SIGINT; the file in hand is finished first. SIGHUP re-reads
    /// `configPath`: a config that does not load is refused with a log line and the running one
    /// stays in force; a good one is applied by re-executing the agent in place (same PID, so
    /// systemd keeps following it), after the file and the batch in hand are finished.
    public func runUntilStopped() throws {
        AgentRunner.installStopHandlers()
        let watcher = try InboxWatcher(folder: config.inbox)
        let sync = SyncService(config: config, clock: clock, logger: logger)
        sync.start()
        let target = config.regulator?.endpoint.baseURL ?? "offline: feeds go to the outbox"
        logger.info("agent started", metadata: [
            "platform_id": "\(config.platformID)", "inbox": "\(config.inbox)", "regulator": "\(target)"])
        notifier.ready(status: "watching \(config.inbox); regulator \(target)")
        Heartbeat.touch(config)
        var lastBeat = AgentClock.realUnixTime()
        var lastMetrics: Int64 = 0
        var totals = PassSummary()
        var lastRescan: Int64 = 0
        var backoffUntil: Int64 = 0
        var reexec = false
        while !AgentRunner.stopRequested {
            if AgentRunner.reloadFlag != 0 {
                AgentRunner.reloadFlag = 0
                if reloadConfig() { reexec = true; break }
            }
            let now = AgentClock.realUnixTime()
            if now >= backoffUntil {
                do {
                    let summary = try pass(everything: false)
                    backoffUntil = summary.retryLater > 0 ? now + 30 : 0
                    if !summary.outcomes.isEmpty {
                        totals.applied += summary.applied; totals.failed += summary.failed
                        totals.duplicates += summary.duplicates
                        notifier.status(statusLine(totals, last: summary))
                        writeMetrics()
                        lastMetrics = AgentClock.realUnixTime()
                    }
                    // New queue entries are committed: the syncer need not wait for its timer.
                    if summary.applied > 0 || (summary.calendarFindingsChanged ?? 0) > 0 || summary.policy != nil { sync.wake.ring() }
                } catch {
                    // The inbox or work folder cannot be listed (permissions, unmounted): say so
                    // and try again later rather than exit.
                    logger.error("cannot scan the inbox; retrying in 30 s", metadata: ["error": "\(error)"])
                    backoffUntil = now + 30
                }
                lastRescan = now
            }
            // Sleep in short slices so a stop request is seen quickly.
            var waited: Int64 = 0
            while !AgentRunner.stopRequested && AgentRunner.reloadFlag == 0 && waited < Int64(config.rescanIntervalSeconds) * 1000 {
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
        if reexec {
            notifier.notify("RELOADING=1\nSTATUS=reloading agent.conf")
            AgentRunner.stopFlag = 1  // the sync threads finish what they hold
        } else {
            notifier.stopping()
            Heartbeat.remove(config)
        }
        if !sync.join(timeoutSeconds: 30) {
            logger.warning("a sync thread did not finish within 30 s; stopping anyway (its work resumes at the next start)")
        }
        if reexec { try reexecute() }
        logger.info("agent stopped")
    }

    /// Rewrites the metrics text file, when one is configured; a failure is logged, never fatal.
    private func writeMetrics() {
        guard let path = config.metricsTextfile else { return }
        do {
            let status = try AgentStatus.collect(config: config, clock: clock)
            try MetricsText.write(MetricsText.render(status, nowUnix: clock.unixTime), to: path)
        } catch {
            logger.warning("cannot write the metrics file", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }

    /// True when the config at `configPath` loads (and so will be applied).
    private func reloadConfig() -> Bool {
        guard let path = configPath else {
            logger.warning("SIGHUP ignored: no config file to re-read")
            return false
        }
        do {
            _ = try ConfigLoader.load(path: path)
        } catch {
            logger.error("agent.conf refused on reload; the running configuration stays in force",
                         metadata: ["config": "\(path)", "error": "\(error)"])
            notifier.status("agent.conf refused on reload (\(error)); running on the previous configuration")
            return false
        }
        logger.notice("agent.conf re-read; restarting in place to apply it", metadata: ["config": "\(path)"])
        return true
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

    nonisolated(unsafe) static var stopFlag: sig_atomic_t = 0
    nonisolated(unsafe) static var reloadFlag: sig_atomic_t = 0
    static var stopRequested: Bool { stopFlag != 0 }

    static func installStopHandlers() {
        signal(SIGTERM) { _ in AgentRunner.stopFlag = 1 }
        signal(SIGINT) { _ in AgentRunner.stopFlag = 1 }
        signal(SIGHUP) { _ in AgentRunner.reloadFlag = 1 }
    }
}
