import SandboxCore

/// One processed inbox file in the file journal: what it was, what became of it.
public struct JournalEntry: Hashable, Sendable {
    /// What the agent did with the file.
    public enum Outcome: String, Sendable, Codable, CaseIterable {
        /// Its rows were validated and stored.
        case applied
        /// The same bytes (sha256) were applied before; nothing was stored again.
        case duplicate
        /// The file could not be read at all; `reason` says why.
        case failed
    }

    /// Assigned by the journal when recorded; nil before.
    public var id: Int64?
    public var fileName: String
    /// nil when the file name named no known kind.
    public var kind: ExportKind?
    /// Bytes as found in the inbox (compressed size for `.gz`).
    public var size: Int64
    /// Lowercase hex SHA-256 of the file's bytes.
    public var sha256: String
    public var rowsAccepted: Int
    public var rowsRejected: Int
    public var outcome: Outcome
    public var reason: String?
    /// Unix seconds.
    public var startedAt: Int64
    /// Unix seconds.
    public var finishedAt: Int64

    public init(id: Int64? = nil, fileName: String, kind: ExportKind?, size: Int64, sha256: String,
                rowsAccepted: Int, rowsRejected: Int, outcome: Outcome, reason: String? = nil,
                startedAt: Int64, finishedAt: Int64) {
        self.id = id; self.fileName = fileName; self.kind = kind; self.size = size; self.sha256 = sha256
        self.rowsAccepted = rowsAccepted; self.rowsRejected = rowsRejected; self.outcome = outcome
        self.reason = reason; self.startedAt = startedAt; self.finishedAt = finishedAt
    }
}
