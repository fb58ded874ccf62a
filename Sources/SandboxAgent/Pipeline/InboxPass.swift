import Logging
import SandboxCore
import SandboxService

/// One pass over the inbox, on the pipeline's thread: finish what was claimed before a restart,
/// the daily calendar re-verification and retention, the inbox's non-file entries, then the ready
/// files in arrival order, and a policy pass when there is new data or something is due.
final class InboxPass {
    let config: AgentConfig
    let clock: AgentClock
    let logger: Logger
    let state: AgentState
    let inbox: Inbox
    let processor: ExportProcessor
    /// The sandbox policy (docs/policy.md): passes after new data and at due times.
    let policy: PolicyRunner
    /// A commit that failed for want of space: status, metrics, an alert, a log that says so.
    let diskFull: DiskFullAlarm
    /// Inbox entries that are not files, reported once each.
    let oddities: InboxOddityReport
    /// systemd's watchdog hears from every claim: a pass over many files is still alive.
    let notifier: SystemdNotifier
    private var claimBackoff = ClaimBackoff()

    init(config: AgentConfig, clock: AgentClock, logger: Logger, notifier: SystemdNotifier) throws {
        self.config = config
        self.clock = clock
        self.logger = logger
        self.notifier = notifier
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

    /// Processes everything claimed or waiting now. `everything` takes unsettled files too (the
    /// operator's `--once` says the inbox is complete). With `stop` set, no further file is
    /// claimed; the one in hand is finished.
    func run(everything: Bool, stop: StopFlag? = nil) throws -> PassSummary {
        var summary = PassSummary()
        // The active pack's verification numbers, before anything is verified.
        if config.policy != nil { policy.start(now: clock.unixTime) }
        processor.follow(policy.verification)
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
            let ready = try inbox.readyFiles(now: everything ? Int64.max / 2 : now)
                .filter { !claimBackoff.isHolding($0.name, now: now) }
            guard let entry = ready.first else { break }
            let claim: ClaimedFile
            do {
                claim = try inbox.claim(entry, now: clock.unixNanoseconds)
            } catch {
                // Gone since the listing, or not ours to move: leave it, try the others.
                logger.warning("cannot claim inbox file", metadata: ["file": "\(entry.name)", "error": "\(error)"])
                claimBackoff.hold(entry.name, until: now + Int64(config.rescanIntervalSeconds))
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
            // A pack the pass loaded may bring other numbers: the next pass's daily
            // re-verification then verifies every merchant under them.
            processor.follow(policy.verification)
        }
        diskFull.passEnded(state.takeCommitTally())
        return summary
    }

    /// True when a file that waited for its settle time is now ready, so the loop takes it promptly
    /// rather than at the next rescan.
    func hasSettledCandidates() -> Bool {
        let now = AgentClock.realUnixTime()
        return ((try? inbox.readyFiles(now: now)) ?? []).contains { !claimBackoff.isHolding($0.name, now: now) }
    }

    /// A policy pass when there is new data (files applied, calendar findings changed, regulator
    /// directives waiting) or something is due; a failure is logged and retried at the next wake.
    private func runPolicy(after summary: PassSummary) -> PolicyRunner.Report? {
        guard config.policy != nil else { return nil }
        // The pack was loaded at the start of the inbox pass (`run`).
        let now = clock.unixTime
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
}
