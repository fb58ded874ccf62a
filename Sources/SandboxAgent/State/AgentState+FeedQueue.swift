import SandboxStorage

/// A record type the regulator is told about. Registry rows are not among them: the registry is
/// the regulator's own data.
public enum FeedType: String, Sendable, CaseIterable {
    case merchant, licence, event, findings, receipt

    /// Receipts answer directives and go to `POST /v1/receipts`; everything else is a feed item.
    public var endpoint: FeedEndpoint { self == .receipt ? .receipts : .feeds }
}

public enum FeedEndpoint: String, Sendable, CaseIterable {
    case feeds, receipts
    public var path: String { "/v1/" + rawValue }
}

/// One queued change: which record to send (its current content is read when the batch is made).
public struct FeedEntry: Sendable, Equatable {
    public var seq: Int64
    public var type: FeedType
    public var key: String
    public var part2: String?
    public var part3: String?
}

// The feed queue: filled in the transaction of each change, emptied by the batcher.
extension AgentState {
    /// Queues `type`/`key` when the upsert changed something; passes the outcome through.
    func queued(_ outcome: UpsertOutcome, _ type: FeedType, _ key: String, _ part2: String? = nil,
                _ part3: String? = nil, now: Int64) throws -> UpsertOutcome {
        if outcome != .unchanged { try enqueueFeed(type, key, part2, part3, now: now) }
        return outcome
    }

    func enqueueFeed(_ type: FeedType, _ key: String, _ part2: String? = nil, _ part3: String? = nil,
                     now: Int64) throws {
        let s = statements.enqueueFeed
        defer { s.reset() }
        try s.bind(1, type.rawValue)
        try s.bind(2, key)
        try s.bind(3, part2)
        try s.bind(4, part3)
        try s.bind(5, now)
        try s.step()
    }

    /// The oldest queued entries for one endpoint, in queue order.
    public func queuedFeed(endpoint: FeedEndpoint, limit: Int) throws -> [FeedEntry] {
        let s = try database.prepare(endpoint == .receipts
            ? "SELECT seq, type, key, part2, part3 FROM feed_queue WHERE type = 'receipt' ORDER BY seq LIMIT ?"
            : "SELECT seq, type, key, part2, part3 FROM feed_queue WHERE type != 'receipt' ORDER BY seq LIMIT ?")
        defer { s.reset() }
        try s.bind(1, limit)
        var entries: [FeedEntry] = []
        while try s.step() {
            let typeText = try s.text(1, "feed_queue.type")
            guard let type = FeedType(rawValue: typeText) else {
                throw StateError.unreadable("feed_queue.type", found: typeText)
            }
            entries.append(FeedEntry(seq: s.int64(0), type: type, key: try s.text(2, "feed_queue.key"),
                                     part2: s.string(3), part3: s.string(4)))
        }
        return entries
    }

    /// Removes entries a batch has taken (inside the batch's transaction).
    func removeQueued(_ entries: [FeedEntry]) throws {
        let s = try database.prepare("DELETE FROM feed_queue WHERE seq = ?")
        for e in entries {
            defer { s.reset() }
            try s.bind(1, e.seq)
            try s.step()
        }
    }

    /// Queued entries and the `queued_at` of the oldest (agent clock, Unix seconds).
    public func feedQueueDepth() throws -> (count: Int, oldestQueuedAt: Int64?) {
        let count = Int(try database.int64("SELECT count(*) FROM feed_queue") ?? 0)
        let oldest = try database.int64("SELECT queued_at FROM feed_queue ORDER BY seq LIMIT 1")
        return (count, oldest)
    }
}
