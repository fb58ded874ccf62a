import SandboxCore
import SandboxStorage

// The transactional outbox: reports queued with the state change that caused them.
extension AgentState {
    /// Queues a report and returns its outbox file name. Call it inside the transaction that
    /// made the change, so the report exists exactly when the change does.
    public func enqueueOutbox(kind: String, body: [UInt8], now: Int64) throws -> String {
        guard !kind.isEmpty, kind.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5f })
        else { throw StateError.invalidOutboxKind(kind) }
        return try atomically {
            // The name holds the seq, which exists only after the insert.
            let insert = try database.prepare("""
                INSERT INTO outbox_pending (kind, file_name, body, created_at) VALUES (?, '', ?, ?)
                """)
            defer { insert.reset() }
            try insert.bind(all: kind, body, now)
            try insert.step()
            let seq = database.lastInsertRowID
            let name = Self.outboxFileName(kind: kind, now: now, seq: seq)
            let update = try database.prepare("UPDATE outbox_pending SET file_name = ? WHERE seq = ?")
            defer { update.reset() }
            try update.bind(all: name, seq)
            try update.step()
            return name
        }
    }

    /// The oldest queued reports, in seq order.
    public func pendingOutbox(limit: Int) throws -> [PendingOutboxFile] {
        let s = try database.prepare("SELECT seq, file_name, body FROM outbox_pending ORDER BY seq LIMIT ?")
        defer { s.reset() }
        try s.bind(1, limit)
        var result: [PendingOutboxFile] = []
        while try s.step() {
            result.append(PendingOutboxFile(seq: s.int64(0), fileName: try s.text(1, "outbox_pending.file_name"),
                                            body: s.blob(2)))
        }
        return result
    }

    /// Forgets a report once its file is durable in `outbox/`. Removing one already gone is
    /// harmless (returns false): after a crash the writer may write and remove it again.
    @discardableResult
    public func removeOutbox(seq: Int64) throws -> Bool {
        let s = try database.prepare("DELETE FROM outbox_pending WHERE seq = ?")
        defer { s.reset() }
        try s.bind(1, seq)
        try s.step()
        return database.changes == 1
    }

    /// `KIND-YYYYMMDDTHHMMSSZ-SEQ.jsonl` in UTC; SEQ has at least 8 digits so names sort by seq.
    static func outboxFileName(kind: String, now: Int64, seq: Int64) -> String {
        OutboxName.make(kind: kind, unixTime: now, sequence: seq)
    }
}
