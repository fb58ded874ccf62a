extension AgentState {
    /// Opens one read transaction on this (read-only) connection: every look-up until
    /// `endReadSnapshot` sees the same committed state, without a lock and WAL check (fcntl,
    /// fstat) around each one. The pipeline's look-ahead verifier holds one for a whole file.
    func beginReadSnapshot() throws {
        try database.execute("BEGIN")
    }

    /// Ends the read transaction `beginReadSnapshot` opened, so WAL checkpoints can go on.
    func endReadSnapshot() throws {
        try database.execute("COMMIT")
    }
}
