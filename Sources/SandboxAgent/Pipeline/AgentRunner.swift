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

    /// What one pass over the inbox did.
    public struct PassSummary: Sendable {
        public var applied = 0, duplicates = 0, failed = 0, retryLater = 0
        public var rowsAccepted = 0, rowsRejected = 0, rowsUnchanged = 0
        /// Merchants whose findings the daily calendar re-verification changed (nil: not run).
        public var calendarFindingsChanged: Int?
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
            // A link could point anywhere; we read only regular files in our folder.
            let outcome = entry.isSymbolicLink ? processor.rejectLink(claim, clock: clock) : processor.process(claim, clock: clock)
            record(outcome, for: claim, into: &summary)
            if case .retryLater = outcome { break }
        }
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

    /// Runs until SIGTERM or SIGINT; the file in hand is finished first.
    public func runUntilStopped() throws {
        AgentRunner.installStopHandlers()
        let watcher = try InboxWatcher(folder: config.inbox)
        let sync = SyncService(config: config, clock: clock, logger: logger)
        sync.start()
        logger.info("agent started", metadata: [
            "platform_id": "\(config.platformID)", "inbox": "\(config.inbox)",
            "regulator": "\(config.regulator?.endpoint.baseURL ?? "offline: feeds go to the outbox")"])
        var lastRescan: Int64 = 0
        var backoffUntil: Int64 = 0
        while !AgentRunner.stopRequested {
            let now = AgentClock.realUnixTime()
            if now >= backoffUntil {
                do {
                    let summary = try pass(everything: false)
                    backoffUntil = summary.retryLater > 0 ? now + 30 : 0
                    // New queue entries are committed: the syncer need not wait for its timer.
                    if summary.applied > 0 || (summary.calendarFindingsChanged ?? 0) > 0 { sync.wake.ring() }
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
            while !AgentRunner.stopRequested && waited < Int64(config.rescanIntervalSeconds) * 1000 {
                let wake = watcher.wait(milliseconds: 500)
                waited += 500
                if !wake.announced.isEmpty || wake.overflow {
                    inbox.announce(wake.announced)
                    break
                }
                if AgentClock.realUnixTime() - lastRescan >= Int64(config.settleSeconds), hasSettledCandidates() { break }
            }
        }
        if !sync.join(timeoutSeconds: 30) {
            logger.warning("a sync thread did not finish within 30 s; stopping anyway (its work resumes at the next start)")
        }
        logger.info("agent stopped")
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
    static var stopRequested: Bool { stopFlag != 0 }

    static func installStopHandlers() {
        signal(SIGTERM) { _ in AgentRunner.stopFlag = 1 }
        signal(SIGINT) { _ in AgentRunner.stopFlag = 1 }
    }
}
