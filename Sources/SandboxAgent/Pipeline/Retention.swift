import Logging

/// Daily pruning, so nothing grows without bound: archived inbox files after `archive_days`,
/// failed files (and their reasons) after `failed_days`, file-journal and directive rows after
/// `journal_days`. The state's own tables are bounded by the merchants they describe (queue and
/// batches empty out as they are delivered); the outbox is the platform's to clear.
struct Retention {
    let config: AgentConfig
    let state: AgentState
    let logger: Logger
    static let lastRunKey = "retention.last_day"

    struct Pruned: Equatable {
        var archived = 0, failed = 0, journalRows = 0, directiveRows = 0
    }

    /// Prunes once per agent day; nil when today was already done.
    func pruneIfNewDay(clock: AgentClock) throws -> Pruned? {
        let today = clock.today.description
        if let last = try state.meta(Self.lastRunKey), last >= today { return nil }
        var pruned = Pruned()
        // Files age by the real clock (their mtime); rows by the agent's clock they were stamped with.
        let now = AgentClock.realUnixTime()
        pruned.archived = removeFiles(in: config.archiveDir, olderThan: now - Int64(config.retention.archiveDays) * 86_400)
        pruned.failed = removeFiles(in: config.failedDir, olderThan: now - Int64(config.retention.failedDays) * 86_400)
        let cutoff = clock.unixTime - Int64(config.retention.journalDays) * 86_400
        try state.transaction {
            pruned.journalRows = try state.pruneJournal(finishedBefore: cutoff)
            pruned.directiveRows = try state.pruneDirectives(receivedBefore: cutoff)
            try state.setMeta(Self.lastRunKey, today)
        }
        if pruned != Pruned() {
            logger.info("retention: old files and rows pruned", metadata: [
                "archived_files": "\(pruned.archived)", "failed_files": "\(pruned.failed)",
                "journal_rows": "\(pruned.journalRows)", "directive_rows": "\(pruned.directiveRows)"])
        }
        return pruned
    }

    private func removeFiles(in folder: String, olderThan cutoff: Int64) -> Int {
        var removed = 0
        for e in (try? FileSystem.list(folder)) ?? [] where !e.name.hasPrefix(".") && e.modified < cutoff {
            if (try? FileSystem.remove(folder + "/" + e.name)) != nil { removed += 1 }
        }
        return removed
    }
}
