import SandboxStorage

extension AgentState {
    /// Counts over every table; each is a scan of the table's smallest index, a few ms at 469,000 rows.
    public func statistics() throws -> StateStatistics {
        var stats = StateStatistics()
        func count(_ sql: String) throws -> Int { Int(try database.int64(sql) ?? 0) }
        stats.merchants = try count("SELECT count(*) FROM merchants")
        stats.licences = try count("SELECT count(*) FROM licences")
        stats.events = try count("SELECT count(*) FROM events")
        stats.receipts = try count("SELECT count(*) FROM receipts")
        stats.registryEntries = try count("SELECT count(*) FROM registry")
        stats.merchantsWithFindings = try count("SELECT count(DISTINCT platform_merchant_id) FROM findings")
        stats.pendingOutboxFiles = try count("SELECT count(*) FROM outbox_pending")

        let byCode = try database.prepare("SELECT code, count(*) FROM findings GROUP BY code")
        defer { byCode.reset() }
        while try byCode.step() {
            stats.findingsByCode[try byCode.text(0, "findings.code")] = byCode.int(1)
        }
        let byOutcome = try database.prepare("SELECT outcome, count(*) FROM file_journal GROUP BY outcome")
        defer { byOutcome.reset() }
        while try byOutcome.step() {
            switch try byOutcome.requiredCoded(0, as: JournalEntry.Outcome.self, "file_journal.outcome") {
            case .applied: stats.filesApplied = byOutcome.int(1)
            case .duplicate: stats.filesDuplicate = byOutcome.int(1)
            case .failed: stats.filesFailed = byOutcome.int(1)
            }
        }
        stats.rowsAccepted = try count("SELECT total(rows_accepted) FROM file_journal WHERE outcome = 'applied'")
        stats.rowsRejected = try count("SELECT total(rows_rejected) FROM file_journal WHERE outcome = 'applied'")
        stats.lastJournalEntry = try recentJournal(limit: 1).first
        return stats
    }
}
