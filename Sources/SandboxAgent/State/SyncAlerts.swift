/// `alert-*` outbox files: what the operator must act on about the regulator link (a batch
/// refused for good, credentials refused, lines the regulator rejected). Written inside the
/// transaction that records the cause, with the same repeat-on-retry naming as every report.
enum SyncAlerts {
    static func write(_ lines: [[UInt8]], state: AgentState, outbox: String, now: Int64) throws {
        guard !lines.isEmpty else { return }
        let sequence = try state.nextOutboxSequence()
        let file = try OutboxFile(folder: outbox, temporaryName: "alert-\(sequence)")
        for line in lines { try file.append(line: line) }
        try file.commit(as: OutboxName.make(kind: "alert", unixTime: now, sequence: sequence))
    }

    static func line(type: String, platformID: String, batch: FeedBatch?, reason: String, action: String,
                     extra: (inout JSONLine) -> Void = { _ in }) -> [UInt8] {
        var l = JSONLine()
        l.add("type", type)
        l.add("platform_id", platformID)
        if let batch {
            l.add("batch_id", batch.id)
            l.add("endpoint", batch.endpoint.path)
            l.add("items", batch.items)
            l.add("attempts", batch.attempts)
        }
        l.add("reason", reason)
        l.add("action", action)
        extra(&l)
        return l.finished
    }
}
