/// Freezes queued entries into batches: renders the records' current content as JSON Lines,
/// gzips it, and stores the body with the removal of the entries in one transaction.
///
/// A record changed again after its entry was taken has a newer entry in the queue, so it goes
/// out again in a later batch; one changed twice before a batch is made goes out once.
final class FeedBatcher {
    let state: AgentState
    let platformID: String
    let maxRecords: Int
    private let renderer: FeedLineRenderer
    private var random = SystemRandomNumberGenerator()

    init(state: AgentState, platformID: String, maxRecords: Int) throws {
        self.state = state
        self.platformID = platformID
        self.maxRecords = maxRecords
        renderer = try FeedLineRenderer(state: state, platformID: platformID)
    }

    /// What freezing took: `items` lines went into a new batch (0: their records were gone, and
    /// the entries were only removed).
    struct Frozen: Equatable {
        var items: Int, rawBytes: Int, gzipBytes: Int
    }

    /// Freezes the given entries (the oldest queued for one endpoint, see `AgentState.queuedFeed`;
    /// at least one).
    func freeze(_ entries: [FeedEntry], endpoint: FeedEndpoint, now: Int64) throws -> Frozen {
        precondition(!entries.isEmpty, "the freezer passes only entries it found queued")
        // One transaction for the reads and the writes: one snapshot and one lock for thousands
        // of lookups (each autocommit read would take and drop SQLite's locks), and the entries
        // cannot change between being read and being removed. The pipeline waits the few tens
        // of milliseconds this takes.
        return try state.transaction {
            var raw: [UInt8] = []
            raw.reserveCapacity(entries.count * 800)
            var seen = Set<EntryKey>()
            var items = 0
            try renderer.refreshPackStamp()
            renderer.version = try nextVersion()
            for e in entries where seen.insert(EntryKey(e)).inserted {
                if try renderer.append(e, to: &raw) { items += 1 }
            }
            guard items > 0 else {
                try state.removeQueued(entries)
                return Frozen(items: 0, rawBytes: 0, gzipBytes: 0)
            }
            let body = Gzip.compress(raw, level: 1)
            // Platform, creation time, 64 random bits: unique for ever, whatever happens to the
            // state; printable ASCII, as the regulator asks of an Idempotency-Key.
            let id = "\(platformID)-\(now)-\(hex(random.next()))"
            try state.storeBatch(FeedBatch(seq: 0, id: id, endpoint: endpoint, items: items, rawBytes: raw.count,
                                           body: body, createdAt: now, attempts: 0, nextAttemptMs: 0,
                                           lastError: nil, state: .ready), taking: entries)
            return Frozen(items: items, rawBytes: raw.count, gzipBytes: body.count)
        }
    }

    /// The version every item of this batch carries (docs/sync.md): the real time in ms, or one
    /// past the last batch's when the clock went back, so versions only grow — a batch frozen later
    /// holds newer content, and the regulator keeps the newest even when an older batch arrives
    /// after it (a requeued dead letter, a replay). Inside the freeze's transaction.
    private func nextVersion() throws -> Int64 {
        let last = Int64(try state.meta(SyncMeta.feedVersion) ?? "0") ?? 0
        let version = max(AgentClock.realUnixMilliseconds(), last + 1)
        try state.setMeta(SyncMeta.feedVersion, String(version))
        return version
    }

    private func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    private struct EntryKey: Hashable {
        var type: FeedType, key: String, part2: String?, part3: String?
        init(_ e: FeedEntry) { type = e.type; key = e.key; part2 = e.part2; part3 = e.part3 }
    }
}
