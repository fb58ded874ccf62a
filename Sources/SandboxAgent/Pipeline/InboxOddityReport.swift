import Logging

/// Reports inbox entries that are not files (InboxOddity) once each: an `inbox_entry_ignored`
/// line in an `alert-*` outbox file and a log line, remembered in the state so a restart does not
/// repeat them; an entry that leaves the inbox is forgotten, and reported again if it returns.
final class InboxOddityReport {
    let state: AgentState
    let config: AgentConfig
    let logger: Logger
    /// The state's remembered names, loaded once: most scans find no oddity and cost no query.
    private var reported: Set<[UInt8]>?

    init(state: AgentState, config: AgentConfig, logger: Logger) {
        self.state = state
        self.config = config
        self.logger = logger
    }

    /// Reports what is new in `found`, forgets what is gone. Returns how many were reported now.
    @discardableResult
    func update(found: [InboxOddity], now: Int64) throws -> Int {
        var known = try reported ?? state.reportedInboxOddities()
        let present = Set(found.map(\.rawName))
        let new = found.filter { !known.contains($0.rawName) }
        let gone = known.subtracting(present)
        guard !new.isEmpty || !gone.isEmpty else { reported = known; return 0 }
        try state.transaction {
            for name in gone { try state.forgetInboxOddity(name: name) }
            for oddity in new { try state.rememberInboxOddity(oddity, at: now) }
            try SyncAlerts.write(new.map(line), state: state, outbox: config.outbox, now: now)
        }
        known.subtract(gone)
        for oddity in new {
            known.insert(oddity.rawName)
            logger.warning("inbox entry left alone: not a file the agent can take", metadata: [
                "file": "\(oddity.displayName)", "what": "\(oddity.what)", "action": "\(oddity.action)"])
        }
        reported = known
        return new.count
    }

    private func line(_ oddity: InboxOddity) -> [UInt8] {
        SyncAlerts.line(type: "inbox_entry_ignored", platformID: config.platformID, batch: nil,
                        reason: "\(oddity.displayName) in the inbox is \(oddity.what); the agent leaves it alone and reads nothing from it",
                        action: oddity.action) { l in
            l.add("file", oddity.displayName)
            l.add("what", oddity.what)
        }
    }
}
