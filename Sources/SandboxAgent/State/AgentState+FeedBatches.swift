import SandboxStorage

/// A frozen feed batch: the exact bytes every attempt sends under the same Idempotency-Key.
public struct FeedBatch: Sendable, Equatable {
    public enum State: String, Sendable { case ready, dead }

    public var seq: Int64
    /// The Idempotency-Key.
    public var id: String
    public var endpoint: FeedEndpoint
    public var items: Int
    /// Size before compression.
    public var rawBytes: Int
    /// gzip JSON Lines.
    public var body: [UInt8]
    /// Agent clock, Unix seconds.
    public var createdAt: Int64
    public var attempts: Int
    /// Real time, Unix milliseconds: no attempt before this.
    public var nextAttemptMs: Int64
    public var lastError: String?
    public var state: State
}

// Frozen batches: stored with the removal of the queue entries they took, deleted when delivered.
extension AgentState {
    /// Stores a new batch and removes the entries it took, in one transaction.
    public func storeBatch(_ batch: FeedBatch, taking entries: [FeedEntry]) throws {
        try atomically {
            let s = try database.prepare("""
                INSERT INTO feed_batches (id, endpoint, items, raw_bytes, body, created_at) VALUES (?, ?, ?, ?, ?, ?)
                """)
            defer { s.reset() }
            try s.bind(all: batch.id, batch.endpoint.rawValue, batch.items, batch.rawBytes, batch.body, batch.createdAt)
            try s.step()
            try removeQueued(entries)
        }
    }

    /// The oldest batch still to deliver. Batches go strictly in order: a later one may carry a
    /// newer version of a record in an earlier one, and the regulator must end with the newest.
    public func oldestReadyBatch() throws -> FeedBatch? {
        try batches(where: "state = 'ready' ORDER BY seq LIMIT 1").first
    }

    /// Batches the regulator refused for good, oldest first.
    public func deadBatches() throws -> [FeedBatch] {
        try batches(where: "state = 'dead' ORDER BY seq")
    }

    public func readyBatchCount() throws -> Int {
        Int(try database.int64("SELECT count(*) FROM feed_batches WHERE state = 'ready'") ?? 0)
    }

    func batches(where clause: String) throws -> [FeedBatch] {
        let s = try database.prepare("""
            SELECT seq, id, endpoint, items, raw_bytes, body, created_at, attempts, next_attempt_ms, last_error, state
            FROM feed_batches WHERE \(clause)
            """)
        defer { s.reset() }
        var result: [FeedBatch] = []
        while try s.step() {
            let endpointText = try s.text(2, "feed_batches.endpoint"), stateText = try s.text(10, "feed_batches.state")
            guard let endpoint = FeedEndpoint(rawValue: endpointText), let state = FeedBatch.State(rawValue: stateText) else {
                throw StateError.unreadable("feed_batches endpoint/state", found: "\(endpointText)/\(stateText)")
            }
            result.append(FeedBatch(seq: s.int64(0), id: try s.text(1, "feed_batches.id"), endpoint: endpoint,
                                    items: Int(s.int64(3)), rawBytes: Int(s.int64(4)), body: s.blob(5),
                                    createdAt: s.int64(6), attempts: Int(s.int64(7)), nextAttemptMs: s.int64(8),
                                    lastError: s.string(9), state: state))
        }
        return result
    }

    /// A failed attempt: when to try again and why it failed (for `status` and the log).
    public func recordFailedAttempt(batch seq: Int64, attempts: Int, nextAttemptMs: Int64, error: String) throws {
        let s = try database.prepare("UPDATE feed_batches SET attempts = ?, next_attempt_ms = ?, last_error = ? WHERE seq = ?")
        defer { s.reset() }
        try s.bind(all: attempts, nextAttemptMs, error, seq)
        try s.step()
    }

    public func markDead(batch seq: Int64, attempts: Int, reason: String) throws {
        let s = try database.prepare("UPDATE feed_batches SET state = 'dead', attempts = ?, last_error = ? WHERE seq = ?")
        defer { s.reset() }
        try s.bind(all: attempts, reason, seq)
        try s.step()
    }

    /// Puts dead batches back in line (after the operator fixed the cause); returns how many.
    /// They keep their id and bytes, so one the regulator did take after all is a harmless replay.
    public func requeueDeadBatches() throws -> Int {
        try database.execute("UPDATE feed_batches SET state = 'ready', attempts = 0, next_attempt_ms = 0 WHERE state = 'dead'")
        return Int(database.changes)
    }

    public func deleteBatch(seq: Int64) throws {
        let s = try database.prepare("DELETE FROM feed_batches WHERE seq = ?")
        defer { s.reset() }
        try s.bind(1, seq)
        try s.step()
    }
}
