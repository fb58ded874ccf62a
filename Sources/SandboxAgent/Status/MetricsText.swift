import SandboxService

/// The agent's metrics as Prometheus text exposition (format 0.0.4), from a status snapshot.
/// Every metric is listed in docs/operations.md. Counters are totals over the state (they survive
/// restarts, as the state does); gauges are the present value.
public enum MetricsText {
    /// `startedAt`: when the running service started (nil from a one-off command).
    public static func render(_ s: AgentStatus, nowUnix: Int64, startedAt: Int64? = nil) -> String {
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: String)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples { out += name + (sample.labels.isEmpty ? "" : "{\(sample.labels)}") + " " + sample.value + "\n" }
        }
        func one(_ name: String, _ type: String, _ help: String, _ value: Int64) {
            metric(name, type, help, [("", String(value))])
        }
        let st = s.statistics, y = s.sync
        let platform = "platform_id=\"\(escape(s.platformID))\""
        one("sandbox_agent_health", "gauge", "0 healthy, 1 degraded, 2 down, as `sandbox-agent status` judges.", Int64(s.health.exitCode))
        metric("sandbox_agent_disk_full", "gauge",
               "1 while commits fail for want of space (the agent retries by itself; status names the folder), else 0.",
               [(platform, s.diskFull == nil ? "0" : "1")])
        metric("sandbox_agent_build_info", "gauge", "Always 1; the version of the agent that wrote this file.",
               [("\(platform),version=\"\(escape(ProjectVersion.current))\"", "1")])
        if let startedAt {
            metric("sandbox_agent_start_time_seconds", "gauge", "Unix time the running service started (a change means a restart).",
                   [(platform, String(startedAt))])
        }
        metric("sandbox_agent_files_total", "counter", "Inbox files processed, by outcome.", [
            ("\(platform),outcome=\"applied\"", String(st.filesApplied)),
            ("\(platform),outcome=\"duplicate\"", String(st.filesDuplicate)),
            ("\(platform),outcome=\"failed\"", String(st.filesFailed)),
        ])
        metric("sandbox_agent_rows_total", "counter", "Rows of applied files, by result.", [
            ("\(platform),result=\"accepted\"", String(st.rowsAccepted)),
            ("\(platform),result=\"rejected\"", String(st.rowsRejected)),
        ])
        metric("sandbox_agent_merchants", "gauge", "Merchants stored.", [(platform, String(st.merchants))])
        metric("sandbox_agent_merchants_with_findings", "gauge", "Merchants with at least one open finding.",
               [(platform, String(st.merchantsWithFindings))])
        metric("sandbox_agent_findings", "gauge", "Open findings, by code (docs/findings.md).",
               st.findingsByCode.sorted { $0.key < $1.key }.map { ("\(platform),code=\"\(escape($0.key))\"", String($0.value)) })
        metric("sandbox_agent_inbox_waiting_files", "gauge", "Files in the inbox not yet claimed.", [(platform, String(s.inboxWaiting))])
        metric("sandbox_agent_feed_queue_items", "gauge", "Changes queued for the regulator, not yet in a batch.", [(platform, String(y.queued))])
        metric("sandbox_agent_feed_ready_items", "gauge", "Items in frozen batches waiting to be delivered.", [(platform, String(y.readyItems))])
        metric("sandbox_agent_feed_oldest_unsynced_age_seconds", "gauge",
               "Age of the oldest queued change (0 when none), by the agent's clock.",
               [(platform, String(y.oldestQueuedAt.map { max(0, nowUnix - $0) } ?? 0))])
        metric("sandbox_agent_feed_dead_batches", "gauge", "Batches the regulator refused for good (sandbox-agent dead-letters).",
               [(platform, String(y.deadBatches))])
        metric("sandbox_agent_feed_failed_attempts", "gauge", "Failed attempts of the batch now at the head of the line (0 when it is not failing).",
               [(platform, String(y.failedAttempts))])
        metric("sandbox_agent_feed_items_delivered_total", "counter", "Feed items the regulator acknowledged.", [(platform, String(y.itemsDelivered))])
        metric("sandbox_agent_feed_bytes_delivered_total", "counter", "gzip bytes of acknowledged batches.", [(platform, String(y.bytesDelivered))])
        metric("sandbox_agent_feed_last_delivery_timestamp_seconds", "gauge", "Unix time of the last acknowledged batch (0: never).",
               [(platform, String(y.lastDeliveredAt ?? 0))])
        metric("sandbox_agent_directives_received_total", "counter", "Regulator directives written to the outbox.", [(platform, String(y.directivesReceived))])
        let p = s.policy
        metric("sandbox_agent_rulepack_serial", "gauge", "Serial of the active rule pack (0: none).", [(platform, String(p.packSerial))])
        metric("sandbox_agent_sandbox_members", "gauge", "Merchants in the credit sandbox.", [(platform, String(p.members))])
        metric("sandbox_agent_merchants_by_class", "gauge", "Merchants by risk class (A lowest risk … D highest).",
               ["A", "B", "C", "D"].map { (platform + ",class=\"\($0)\"", String(p.classes[$0] ?? 0)) })
        metric("sandbox_agent_cases_open", "gauge", "Open cases (including overdue).", [(platform, String(p.openCases))])
        metric("sandbox_agent_cases_overdue", "gauge", "Cases past their rectification deadline.", [(platform, String(p.overdueCases))])
        metric("sandbox_agent_receipts_overdue", "gauge", "Agent instructions whose receipt is past due.", [(platform, String(p.receiptsOverdue))])
        metric("sandbox_agent_policy_last_pass_timestamp_seconds", "gauge", "Unix time of the last policy pass (0: never).",
               [(platform, String(p.lastPassAt ?? 0))])
        return out
    }

    /// Label values: backslash, quote and newline escaped, as the format asks.
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }

    /// Writes the file atomically (temporary name in the same folder, fsync, rename), as the
    /// textfile collector needs: it must never read half a file.
    public static func write(_ text: String, to path: String) throws {
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        let folder = slash == path.startIndex ? "." : String(path[..<path.index(before: slash)])
        try FileSystem.createDirectories(folder)
        let file = try OutboxFile(folder: folder, temporaryName: String(path[slash...]))
        try file.append(bytes: Array(text.utf8))
        try file.commit(as: String(path[slash...]))
    }
}
