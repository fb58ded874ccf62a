import Logging
import SandboxService

/// The pipeline's part of the running service, on its own thread: inbox passes woken by inotify,
/// settle times and the policy's next due instant; `STATUS=` lines, the heartbeat, the metrics and
/// the watchdog keep-alives — from this loop, because it is the pipeline's liveness they vouch for.
/// A pass that committed something rings the link's wake, so the freezer need not wait for its timer.
struct PipelineLoop {
    let pass: InboxPass
    let vitals: ServiceVitals
    /// Rung when new queue entries are committed.
    let wake: SyncWake
    let notifier: SystemdNotifier

    func run(stop: StopFlag) throws {
        let config = pass.config, logger = pass.logger
        let watcher = try InboxWatcher(folder: config.inbox)
        let interrupt = watcher.interrupt
        stop.onSet { interrupt.ring() }  // a stop ends the watcher's wait at once
        let target = config.regulator?.endpoint.baseURL ?? "offline: feeds go to the outbox"
        logger.info("agent started", metadata: [
            "platform_id": "\(config.platformID)", "inbox": "\(config.inbox)", "regulator": "\(target)"])
        notifier.ready(status: "watching \(config.inbox); regulator \(target)")
        pass.diskFull.retryNote = "the agent retries every \(AgentConfig.retryLaterSeconds) s by itself, no restart needed"
        vitals.beat()
        var totals = PassSummary()
        var lastRescan: Int64 = 0
        var backoffUntil: Int64 = 0
        while !stop.isSet {
            let now = AgentClock.realUnixTime()
            if now >= backoffUntil {
                do {
                    let summary = try pass.run(everything: false, stop: stop)
                    backoffUntil = summary.retryLater > 0 ? now + AgentConfig.retryLaterSeconds : 0
                    if !summary.outcomes.isEmpty {
                        totals.applied += summary.applied; totals.failed += summary.failed
                        totals.duplicates += summary.duplicates
                        if !stop.isSet { notifier.status(statusLine(totals, last: summary)) }
                        vitals.writeMetrics()
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
                vitals.tick()
                let wake = watcher.wait(milliseconds: 500)
                waited += 500
                if !wake.announced.isEmpty || wake.overflow {
                    pass.inbox.announce(wake.announced)
                    break
                }
                if AgentClock.realUnixTime() - lastRescan >= Int64(config.settleSeconds), pass.hasSettledCandidates() { break }
                // The deadline clock: the next due instant is kept in memory, so this costs no query.
                if pass.policy.isDue(now: pass.clock.unixTime) { break }
            }
        }
        // The last figures, so the textfile does not show a stale queue until the next start.
        vitals.writeMetrics()
    }

    private func statusLine(_ totals: PassSummary, last: PassSummary) -> String {
        let file = last.outcomes.last.map { " last \($0.file)" } ?? ""
        let queued = (try? pass.state.feedQueueDepth().count) ?? 0
        return "since start: \(totals.applied) file(s) applied, \(totals.duplicates) duplicate, \(totals.failed) failed;"
            + "\(file); feed queue \(queued)"
    }
}
