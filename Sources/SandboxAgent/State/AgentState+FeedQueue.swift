import SandboxStorage

/// A record type the regulator is told about. Registry rows are not among them: the registry is
/// the regulator's own data.
public enum FeedType: String, Sendable, CaseIterable {
    case merchant, licence, event, findings, receipt
    /// The policy's decisions (docs/policy.md §10.1), rendered from `policy_items`.
    case riskClass = "class", roster, policyCase = "case", instruction, prompt

    var isPolicyItem: Bool {
        switch self {
        case .riskClass, .roster, .policyCase, .instruction, .prompt: true
        default: false
        }
    }

    /// Receipts answer directives and go to `POST /v1/receipts`; everything else is a feed item.
    public var endpoint: FeedEndpoint { self == .receipt ? .receipts : .feeds }
}

public enum FeedEndpoint: String, Sendable, CaseIterable {
    case feeds, receipts
    public var path: String { "/v1/" + rawValue }
}

/// One queued change: which record to send (its current content is read when the batch is made).
/// `seq` identifies the entry within one read of the queue (chunk row and position); it orders
/// entries but is not stable across batches.
public struct FeedEntry: Sendable, Equatable {
    public var seq: Int64
    public var type: FeedType
    public var key: String
    public var part2: String?
    public var part3: String?
}

// The feed queue: filled in the transaction of each change, emptied by the batcher.
extension AgentState {
    /// Entries per chunk row (and the buffer size before a write within a transaction).
    static let feedQueueChunkSize = 4_096

    /// Queues `type`/`key` when the upsert changed something; passes the outcome through.
    func queued(_ outcome: UpsertOutcome, _ type: FeedType, _ key: String, _ part2: String? = nil,
                _ part3: String? = nil, now: Int64) throws -> UpsertOutcome {
        if outcome != .unchanged { try enqueueFeed(type, key, part2, part3, now: now) }
        return outcome
    }

    /// Buffers the entry; it is written with the others before the transaction (level) ends, or
    /// at once outside a transaction.
    func enqueueFeed(_ type: FeedType, _ key: String, _ part2: String? = nil, _ part3: String? = nil,
                     now: Int64) throws {
        if queueBuffer.count == 0 { queueBuffer.firstQueuedAt = now }
        let start = queueBuffer.bytes.count
        FeedQueueChunk.append(type, key, part2, part3, to: &queueBuffer.bytes)
        guard database.isInTransaction else {
            queueBuffer.count += 1
            return try flushFeedQueue()  // a commit of its own: nothing to coalesce with
        }
        queueBuffer.bytes.withUnsafeBytes { coalescer.note(entry: UnsafeRawBufferPointer(rebasing: $0[start...]), feedKnowledge) }
        queueBuffer.count += 1
        if queueBuffer.count >= Self.feedQueueChunkSize { try compressesChunksApart ? handOffFeedChunk() : flushFeedQueue() }
    }

    /// Writes the buffered entries as one chunk row (after the chunk handed off before them).
    func flushFeedQueue() throws {
        try writeHandedOffFeedChunk()
        guard queueBuffer.count > 0 else { return }
        try insertFeedChunk(stored: StoredChunk.stored(queueBuffer.bytes), count: queueBuffer.count,
                            firstQueuedAt: queueBuffer.firstQueuedAt)
        queueBuffer.clear()
    }

    /// A full chunk in a transaction, as the audit's (`handOffAudit`): the chunk handed off before
    /// it is written, this one compressed by `ChunkCompression` while the writer goes on, its row
    /// written before the next chunk's and by `flushFeedQueue` when the level ends.
    private func handOffFeedChunk() throws {
        try writeHandedOffFeedChunk()
        queueBuffer.handedOff = FeedQueueBuffer.HandedOff(count: queueBuffer.count, firstQueuedAt: queueBuffer.firstQueuedAt,
                                                          compression: ChunkCompression(taking: &queueBuffer.bytes))
        queueBuffer.count = 0
    }

    private func writeHandedOffFeedChunk() throws {
        guard let chunk = queueBuffer.handedOff else { return }
        queueBuffer.handedOff = nil
        try insertFeedChunk(stored: chunk.compression.take(), count: chunk.count, firstQueuedAt: chunk.firstQueuedAt)
    }

    private func insertFeedChunk(stored: [UInt8], count: Int, firstQueuedAt: Int64) throws {
        let s = statements.enqueueFeed
        defer { s.reset() }
        try s.bind(1, stored)
        try s.bind(2, count)
        try s.bind(3, firstQueuedAt)
        try s.step()
        if database.isInTransaction { coalescer.noteChunk(database.lastInsertRowID) }
    }

    /// Before the outermost commit: removes later copies of entries queued twice in it, keeping
    /// the first (see `FeedQueueCoalescer`). Costs one read of the commit's chunks, and only when
    /// the filter saw a possible repeat.
    func coalesceFeedQueue() throws {
        guard let first = coalescer.firstChunk, coalescer.hasSuspects else { return }
        let s = try database.prepare("SELECT seq, entries FROM feed_queue WHERE seq >= ? ORDER BY seq")
        var later: [Int64] = []
        var kept = Set<[UInt8]>()
        try s.bind(1, first)
        while try s.step() {
            let chunk = s.int64(0)
            guard let bytes = StoredChunk.plain(s.blob(1)), let positions = coalescer.laterCopies(in: bytes, kept: &kept) else {
                s.reset()
                throw StateError.unreadable("feed_queue chunk \(chunk)", found: "damaged entries")
            }
            later += positions.map { chunk << 20 | Int64($0) }
        }
        s.reset()
        if !later.isEmpty { try removeQueued(seqs: later) }
    }

    /// The oldest queued entries for one endpoint, in queue order.
    public func queuedFeed(endpoint: FeedEndpoint, limit: Int) throws -> [FeedEntry] {
        let s = try database.prepare("SELECT seq, entries FROM feed_queue ORDER BY seq")
        defer { s.reset() }
        var entries: [FeedEntry] = []
        while entries.count < limit, try s.step() {
            let chunk = s.int64(0)
            guard let bytes = StoredChunk.plain(s.blob(1)), let decoded = FeedQueueChunk.decode(bytes) else {
                throw StateError.unreadable("feed_queue chunk \(chunk)", found: "damaged entries")
            }
            for (i, e) in decoded.enumerated() where e.type.endpoint == endpoint {
                entries.append(FeedEntry(seq: chunk << 20 | Int64(i), type: e.type, key: e.key, part2: e.part2, part3: e.part3))
                if entries.count == limit { break }
            }
        }
        return entries
    }

    /// Removes entries a batch has taken (inside the batch's transaction, which also read them):
    /// each chunk they came from is rewritten without them, or deleted when nothing is left.
    func removeQueued(_ entries: [FeedEntry]) throws {
        try removeQueued(seqs: entries.map(\.seq))
    }

    /// Removes entries by `FeedEntry.seq` (chunk row and position).
    func removeQueued(seqs: [Int64]) throws {
        var byChunk: [Int64: Set<Int>] = [:]
        for seq in seqs { byChunk[seq >> 20, default: []].insert(Int(seq & 0xFFFFF)) }
        let read = try database.prepare("SELECT entries FROM feed_queue WHERE seq = ?")
        let update = try database.prepare("UPDATE feed_queue SET entries = ?, count = ? WHERE seq = ?")
        let delete = try database.prepare("DELETE FROM feed_queue WHERE seq = ?")
        for (chunk, taken) in byChunk {
            try read.bind(1, chunk)
            guard try read.step(), let bytes = StoredChunk.plain(read.blob(0)), let decoded = FeedQueueChunk.decode(bytes) else {
                read.reset(); continue
            }
            read.reset()
            var kept: [UInt8] = []
            var count = 0
            for (i, e) in decoded.enumerated() where !taken.contains(i) {
                FeedQueueChunk.append(e.type, e.key, e.part2, e.part3, to: &kept)
                count += 1
            }
            if count == 0 {
                defer { delete.reset() }
                try delete.bind(1, chunk)
                try delete.step()
            } else {
                defer { update.reset() }
                try update.bind(all: StoredChunk.stored(kept), count, chunk)
                try update.step()
            }
        }
    }

    /// Queued entries and the `queued_at` of the oldest (agent clock, Unix seconds).
    public func feedQueueDepth() throws -> (count: Int, oldestQueuedAt: Int64?) {
        let count = Int(try database.int64("SELECT total(count) FROM feed_queue") ?? 0)
        let oldest = try database.int64("SELECT queued_at FROM feed_queue ORDER BY seq LIMIT 1")
        return (count, oldest)
    }
}
