import SandboxCore
import SandboxStorage

// The file journal: which inbox files were processed, so the same bytes are never applied twice.
extension AgentState {
    private static let journalColumns = """
        id, file_name, kind, size, sha256, rows_accepted, rows_rejected, outcome, reason, started_at, finished_at
        """

    /// The entry for these bytes: the applied one if there is one, else the latest.
    public func journalEntry(sha256: String) throws -> JournalEntry? {
        try journal("WHERE sha256 = ? ORDER BY outcome = 'applied' DESC, id DESC LIMIT 1", sha256).first
    }

    /// The entry of one claimed file (its work name), if it was journaled: a crash between the
    /// commit and the move leaves the file claimed with its entry written.
    public func journalEntry(fileName: String) throws -> JournalEntry? {
        try journal("WHERE file_name = ? ORDER BY id DESC LIMIT 1", fileName).first
    }

    /// The newest applied file of a kind: the platform's latest snapshot of it.
    public func latestApplied(kind: ExportKind) throws -> JournalEntry? {
        try journal("WHERE kind = ? AND outcome = 'applied' ORDER BY id DESC LIMIT 1", kind.rawValue).first
    }

    /// Whether an applied file had `size` bytes: a file of a size none had can repeat none
    /// (`PendingDigest`).
    public func holdsAppliedFile(size: Int64) throws -> Bool {
        let s = try database.prepare("SELECT EXISTS (SELECT 1 FROM file_journal WHERE size = ? AND outcome = 'applied')")
        defer { s.reset() }
        try s.bind(1, size)
        return try s.step() && s.int(0) == 1
    }

    /// Files that failed (were set aside) since `since` (agent clock).
    public func failedFiles(since: Int64) throws -> Int {
        let s = try database.prepare("SELECT count(*) FROM file_journal WHERE outcome = 'failed' AND finished_at >= ?")
        defer { s.reset() }
        try s.bind(1, since)
        return try s.step() ? s.int(0) : 0
    }

    /// The latest entries, newest first.
    public func recentJournal(limit: Int) throws -> [JournalEntry] {
        try journal("ORDER BY id DESC LIMIT ?", limit)
    }

    /// Records a processed file and returns its id. The same sha256 may be applied more than
    /// once (the newest snapshot of its kind may repeat an older one's bytes).
    @discardableResult
    public func recordJournal(_ e: JournalEntry) throws -> Int64 {
        let s = try database.prepare("""
            INSERT INTO file_journal (file_name, kind, size, sha256, rows_accepted, rows_rejected, outcome, reason,
                                      started_at, finished_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        defer { s.reset() }
        try s.bind(all: e.fileName, e.kind, e.size, e.sha256, e.rowsAccepted, e.rowsRejected, e.outcome, e.reason, e.startedAt,
                        e.finishedAt)
        try s.step()
        return database.lastInsertRowID
    }

    private func journal(_ clause: String, _ value: some JournalParameter) throws -> [JournalEntry] {
        let s = try database.prepare("SELECT \(Self.journalColumns) FROM file_journal \(clause)")
        defer { s.reset() }
        try value.bind(to: s)
        var result: [JournalEntry] = []
        while try s.step() { result.append(try Self.journalEntry(s)) }
        return result
    }

    static func journalEntry(_ s: Statement) throws -> JournalEntry {
        let id = s.int64(0)
        let at = "file_journal entry \(id)"
        return JournalEntry(
            id: id, fileName: try s.text(1, "\(at) file_name"), kind: try s.coded(2, as: ExportKind.self, "\(at) kind"),
            size: s.int64(3), sha256: try s.text(4, "\(at) sha256"), rowsAccepted: s.int(5), rowsRejected: s.int(6),
            outcome: try s.requiredCoded(7, as: JournalEntry.Outcome.self, "\(at) outcome"), reason: s.string(8),
            startedAt: s.int64(9), finishedAt: s.int64(10))
    }
}

/// The one parameter of a journal query (a sha256 or a limit).
private protocol JournalParameter { func bind(to s: Statement) throws }
extension String: JournalParameter { fileprivate func bind(to s: Statement) throws { try s.bind(1, self) } }
extension Int: JournalParameter { fileprivate func bind(to s: Statement) throws { try s.bind(1, self) } }
