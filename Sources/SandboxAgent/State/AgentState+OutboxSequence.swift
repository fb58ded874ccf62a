import SandboxStorage

extension AgentState {
    /// Takes the next outbox sequence number for a report file written directly (not queued).
    ///
    /// It shares `outbox_pending`'s AUTOINCREMENT, so queued and direct reports draw from one
    /// sequence and a gap in outbox names always means a missing file. Taken inside the file's
    /// transaction, the number rolls back with it: a retried file gets the same number again.
    public func nextOutboxSequence() throws -> Int64 {
        let insert = try database.prepare(
            "INSERT INTO outbox_pending (kind, file_name, body, created_at) VALUES ('reserved', '', x'', 0)")
        defer { insert.reset() }
        try insert.step()
        let seq = database.lastInsertRowID
        let delete = try database.prepare("DELETE FROM outbox_pending WHERE seq = ?")
        defer { delete.reset() }
        try delete.bind(1, seq)
        try delete.step()
        return seq
    }
}
