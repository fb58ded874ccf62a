extension AgentState {
    /// Removes the file journal's rows of files finished before `cutoff` (agent time); returns how
    /// many. The daily retention pass (`Retention`, `journal_days`).
    func pruneJournal(finishedBefore cutoff: Int64) throws -> Int {
        try deleteRows("DELETE FROM file_journal WHERE finished_at < ?", before: cutoff)
    }

    /// Removes the directives received before `cutoff` (agent time); returns how many.
    func pruneDirectives(receivedBefore cutoff: Int64) throws -> Int {
        try deleteRows("DELETE FROM directives WHERE received_at < ?", before: cutoff)
    }

    /// Runs a `DELETE … WHERE … < ?` and returns the rows removed.
    private func deleteRows(_ sql: String, before cutoff: Int64) throws -> Int {
        let s = try database.prepare(sql)
        defer { s.reset() }
        try s.bind(1, cutoff)
        try s.step()
        return database.changes
    }
}
