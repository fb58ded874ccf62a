import SandboxCore

/// A snapshot of the agent for `sandbox-agent status`: what is stored, what waits, what happened last.
public struct AgentStatus: Sendable {
    public var platformID: String
    public var statistics: StateStatistics
    /// Files in the inbox not yet claimed.
    public var inboxWaiting: Int
    /// Files claimed and not finished (being processed, or left by a crash for the next start).
    public var inProgress: Int
    public var failedFiles: Int
    public var recentFiles: [JournalEntry]
    /// The regulator's url, nil offline.
    public var regulatorURL: String?
    public var sync: SyncStatistics
    public var policy = PolicyStatistics()
    public var policyConfigured = false
    /// Commits failing for want of space (the pipeline's marker), nil when they go through.
    public var diskFull: SpaceShortage?
    /// What monitoring needs: healthy (exit 0), degraded (1), down (2), and why.
    public var health: Health = .healthy
    public var problems: [String] = []

    public enum Health: String, Sendable {
        case healthy, degraded, down
        public var exitCode: Int32 {
            switch self {
            case .healthy: 0
            case .degraded: 1
            case .down: 2
            }
        }
    }

    /// Reads the state; creates nothing when the agent never ran (counts are then zero).
    /// `clock`: the agent's clock (a drill's `--now`), which the journal and the queue are stamped
    /// with; the heartbeat and the inbox are judged by the real clock.
    public static func collect(config: AgentConfig, clock: AgentClock = AgentClock()) throws -> AgentStatus {
        var statistics = StateStatistics()
        var recent: [JournalEntry] = []
        var sync = SyncStatistics()
        var policy = PolicyStatistics()
        var failedLastHour = 0
        if FileSystem.exists(config.databasePath) {
            let state = try AgentState(path: config.databasePath, readOnly: true)
            statistics = try state.statistics()
            recent = try state.recentJournal(limit: 5)
            sync = try state.syncStatistics()
            failedLastHour = try state.failedFiles(since: clock.unixTime - 3600)
            policy = try state.policyStatistics()
        }
        func count(_ folder: String, _ include: (String) -> Bool) -> Int {
            ((try? FileSystem.list(folder)) ?? []).filter { include($0.name) }.count
        }
        let waiting = ((try? FileSystem.list(config.inbox)) ?? []).filter { InboxFileName.isCandidate($0.name) }
        var status = AgentStatus(platformID: config.platformID, statistics: statistics,
                                 inboxWaiting: waiting.count,
                                 inProgress: count(config.workDir) { !$0.hasPrefix(".") },
                                 failedFiles: count(config.failedDir) { !$0.hasSuffix(".reason.txt") && !$0.hasPrefix(".") },
                                 recentFiles: recent, regulatorURL: config.regulator?.endpoint.baseURL, sync: sync)
        status.policy = policy
        status.policyConfigured = config.policy != nil
        status.diskFull = DiskFullAlarm.current(config)
        status.judge(config: config, now: AgentClock.realUnixTime(), agentNow: clock.unixTime, failedLastHour: failedLastHour,
                     oldestWaiting: waiting.map(\.modified).min())
        return status
    }

    /// Health from the facts: down when the service's heartbeat is missing or stale; degraded
    /// when commits fail for want of space, the feed fails, a batch is a dead letter, a file failed in the last hour, a file
    /// waits in the inbox for over 10 minutes, or a change waited over an hour to be sent.
    mutating func judge(config: AgentConfig, now: Int64, agentNow: Int64, failedLastHour: Int, oldestWaiting: Int64?) {
        var down: [String] = [], degraded: [String] = []
        switch Heartbeat.age(config, now: now) {
        case nil: down.append("the agent is not running (no heartbeat in \(config.stateDir))")
        case let age? where age > Heartbeat.staleAfter(config):
            down.append("the agent's loop has not beaten for \(age) s (stopped or hung)")
        default: break
        }
        if let diskFull { degraded.append(diskFull.problem) }
        if let error = sync.lastError { degraded.append("feed delivery failing after \(sync.failedAttempts) attempt(s): \(error)") }
        if sync.deadBatches > 0 { degraded.append("\(sync.deadBatches) feed batch(es) refused by the regulator (dead letters)") }
        if failedLastHour > 0 { degraded.append("\(failedLastHour) file(s) failed in the last hour") }
        if let oldest = oldestWaiting, now - oldest > 600 { degraded.append("a file waits in the inbox for \((now - oldest) / 60) min") }
        if regulatorURL != nil, let queued = sync.oldestQueuedAt, agentNow - queued > 3600 {
            degraded.append("a change has waited \((agentNow - queued) / 60) min to be sent")
        }
        if policyConfigured && policy.packVersion == nil {
            degraded.append("no rule pack active: classes, cases and prompts are not decided")
        }
        health = !down.isEmpty ? .down : (!degraded.isEmpty ? .degraded : .healthy)
        problems = down + degraded
    }

    public var json: [UInt8] {
        let s = statistics
        var j = JSONLine()
        j.add("platform_id", platformID)
        j.add("health", health.rawValue)
        j.add("problems", strings: problems)
        if let d = diskFull {
            var disk = JSONLine()
            disk.add("folder", d.folder)
            disk.add("since", d.since)
            disk.add("reason", d.reason)
            j.add("disk_full", raw: disk.finished)
        } else {
            j.add("disk_full", nil as String?)
        }
        j.add("merchants", s.merchants)
        j.add("licences", s.licences)
        j.add("events", s.events)
        j.add("receipts", s.receipts)
        j.add("registry", s.registryEntries)
        j.add("merchants_with_findings", s.merchantsWithFindings)
        var codes = JSONLine()
        for (code, n) in s.findingsByCode.sorted(by: { $0.key < $1.key }) { codes.add(named: code, n) }
        j.add("findings_by_code", raw: codes.finished)
        var files = JSONLine()
        files.add("applied", s.filesApplied)
        files.add("duplicate", s.filesDuplicate)
        files.add("failed", s.filesFailed)
        j.add("files", raw: files.finished)
        j.add("inbox_waiting", inboxWaiting)
        j.add("in_progress", inProgress)
        j.add("failed_files_kept", failedFiles)
        var link = JSONLine()
        link.add("mode", regulatorURL == nil ? "offline" : "online")
        link.add("regulator", regulatorURL)
        link.add("queued", sync.queued)
        link.add("oldest_queued_at", sync.oldestQueuedAt)
        link.add("ready_batches", sync.readyBatches)
        link.add("ready_items", sync.readyItems)
        link.add("dead_batches", sync.deadBatches)
        link.add("dead_items", sync.deadItems)
        link.add("failed_attempts", sync.failedAttempts)
        link.add("last_error", sync.lastError)
        link.add("next_attempt_at_ms", sync.nextAttemptAtMs)
        link.add("items_delivered", sync.itemsDelivered)
        link.add("batches_delivered", sync.batchesDelivered)
        link.add("bytes_delivered", sync.bytesDelivered)
        link.add("last_delivered_at", sync.lastDeliveredAt)
        link.add("directives_received", sync.directivesReceived)
        link.add("directive_cursor", sync.directiveCursor)
        link.add("registry_cursor", sync.registryCursor)
        link.add("last_directive_poll_at", sync.lastDirectivePollAt)
        j.add("sync", raw: link.finished)
        var pol = JSONLine()
        pol.add("configured", policyConfigured)
        pol.add("pack_version", policy.packVersion)
        pol.add("pack_serial", policy.packSerial)
        pol.add("members", policy.members)
        var cls = JSONLine()
        for (k, v) in policy.classes.sorted(by: { $0.key < $1.key }) { cls.add(named: k, v) }
        pol.add("classes", raw: cls.finished)
        pol.add("open_cases", policy.openCases)
        pol.add("overdue_cases", policy.overdueCases)
        pol.add("receipts_awaited", policy.receiptsAwaited)
        pol.add("receipts_overdue", policy.receiptsOverdue)
        pol.add("last_pass_at", policy.lastPassAt)
        j.add("policy", raw: pol.finished)
        j.add("recent_files", objects: recentFiles.map { e in
            var o = JSONLine()
            o.add("file", Inbox.parseWorkName(e.fileName)?.1 ?? e.fileName)
            o.add("kind", e.kind?.rawValue)
            o.add("outcome", e.outcome.rawValue)
            o.add("rows_accepted", e.rowsAccepted)
            o.add("rows_rejected", e.rowsRejected)
            o.add("finished_at", e.finishedAt)
            o.add("reason", e.reason)
            return o
        })
        return j.finished
    }

    public var text: String {
        let s = statistics
        var lines = [
            "health          \(health.rawValue)" + (problems.isEmpty ? "" : ": " + problems.joined(separator: "; ")),
            "platform        \(platformID)",
            "merchants       \(s.merchants) (\(s.merchantsWithFindings) with findings)",
            "licences        \(s.licences)",
            "registry        \(s.registryEntries)",
            "events          \(s.events)",
            "receipts        \(s.receipts)",
            "files           \(s.filesApplied) applied, \(s.filesDuplicate) duplicate, \(s.filesFailed) failed",
            "inbox           \(inboxWaiting) waiting, \(inProgress) in progress",
        ]
        let y = sync
        let target = regulatorURL ?? "offline (feed-*.jsonl.gz in the outbox)"
        lines.append("regulator       \(target)")
        lines.append("feed            \(y.queued) queued, \(y.readyBatches) batch(es) ready (\(y.readyItems) items), "
                     + "\(y.deadBatches) dead letter(s); \(y.itemsDelivered) items delivered in \(y.batchesDelivered) batches"
                     + (y.lastDeliveredAt.map { ", last at \(UTCTime.rfc3339($0))" } ?? ""))
        if let error = y.lastError {
            // It quotes the regulator's answer: escaped like every outside text printed here.
            lines.append("feed failing    \(y.failedAttempts) attempt(s): \(TerminalText.escaped(error))")
        }
        if regulatorURL != nil {
            lines.append("directives      \(y.directivesReceived) received (cursor \(y.directiveCursor)); registry cursor \(y.registryCursor)")
        }
        if policyConfigured || policy.packVersion != nil {
            let p = policy
            lines.append("rule pack       " + (p.packVersion.map { "\($0) serial \(p.packSerial)" } ?? "none active"))
            lines.append("sandbox         \(p.members) member(s); classes " + p.classes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            lines.append("cases           \(p.openCases) open (\(p.overdueCases) overdue); receipts \(p.receiptsAwaited) awaited, \(p.receiptsOverdue) overdue"
                         + (p.lastPassAt.map { "; last pass \(UTCTime.rfc3339($0))" } ?? ""))
        }
        if !s.findingsByCode.isEmpty {
            lines.append("findings        " + s.findingsByCode.sorted { $0.value > $1.value }
                .map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        for e in recentFiles {
            let name = TerminalText.escaped(Inbox.parseWorkName(e.fileName)?.1 ?? e.fileName)
            lines.append("recent          \(name): \(e.outcome.rawValue), \(e.rowsAccepted) accepted, \(e.rowsRejected) rejected"
                         + (e.reason.map { " — \(TerminalText.escaped($0))" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }
}
