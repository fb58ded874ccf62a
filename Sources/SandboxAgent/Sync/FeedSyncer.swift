import Logging

/// Moves the feed queue to the regulator: freezes batches (by size, or by age for a partial
/// one), delivers the oldest ready batch, and records the outcome — deleted when taken, retried
/// with backoff, kept and alerted when refused. Everything it knows is in the database, so a
/// restart (or kill -9) resumes exactly where it was.
///
/// One owner thread; its own `AgentState` connection and its own regulator connection.
public final class FeedSyncer {
    let state: AgentState
    let batcher: FeedBatcher
    let sink: FeedSink
    let platformID: String
    let outbox: String
    let maxAgeMilliseconds: Int64
    let clock: AgentClock
    let logger: Logger
    /// When each endpoint's queue was first seen holding a partial batch (real ms).
    private var partialSince: [FeedEndpoint: Int64] = [:]
    private var credentialsRefused = false
    /// The batch of the last attempt (for `drain`).
    private var lastAttempted: Int64?

    /// What the syncer has done since it started.
    public struct Progress: Sendable, Equatable {
        public var batchesDelivered = 0, itemsDelivered = 0, failedAttempts = 0, deadLettered = 0
        public var lastError: String?
    }
    public private(set) var progress = Progress()

    enum Step: Equatable {
        case worked
        /// Nothing to do before this real time (ms): a retry or a partial batch's age.
        case waitUntil(Int64)
        case idle
    }

    init(state: AgentState, sink: FeedSink, config: AgentConfig, clock: AgentClock, logger: Logger) throws {
        self.state = state
        self.sink = sink
        self.platformID = config.platformID
        self.outbox = config.outbox
        self.clock = clock
        self.logger = logger
        maxAgeMilliseconds = Int64(config.batchMaxAgeMilliseconds)
        batcher = try FeedBatcher(state: state, platformID: config.platformID, maxRecords: config.batchMaxRecords)
    }

    /// One unit of work. `flushPartial`: freeze a partial batch now instead of waiting for its age.
    /// `dueNow`: a batch not yet tried in this drain goes now, whatever its backoff says (the
    /// operator's `run --once` means "try now").
    func step(flushPartial: Bool, dueNow: Set<Int64>? = nil) throws -> Step {
        let nowMs = AgentClock.realUnixMilliseconds()
        if let batch = try state.oldestReadyBatch() {
            // Strict order: while the oldest waits for its retry, nothing newer is sent or frozen.
            let skipBackoff = dueNow.map { !$0.contains(batch.seq) } ?? false
            if batch.nextAttemptMs > nowMs && !skipBackoff { return .waitUntil(batch.nextAttemptMs) }
            lastAttempted = batch.seq
            try attempt(batch)
            return .worked
        }
        var earliest: Int64?
        for endpoint in FeedEndpoint.allCases {
            let entries = try state.queuedFeed(endpoint: endpoint, limit: batcher.maxRecords)
            guard !entries.isEmpty else { partialSince[endpoint] = nil; continue }
            let since = partialSince[endpoint] ?? nowMs
            if entries.count >= batcher.maxRecords || flushPartial || nowMs - since >= maxAgeMilliseconds {
                let outcome = try batcher.freeze(entries, endpoint: endpoint, now: clock.unixTime)
                partialSince[endpoint] = nil
                if case .frozen(let items, let raw, let gz) = outcome, items > 0 {
                    logger.debug("feed batch frozen", metadata: ["endpoint": "\(endpoint.path)", "items": "\(items)",
                                                                 "bytes": "\(raw)", "gzip_bytes": "\(gz)"])
                }
                return .worked
            }
            partialSince[endpoint] = since
            earliest = min(earliest ?? .max, since + maxAgeMilliseconds)
        }
        return earliest.map(Step.waitUntil) ?? .idle
    }

    private func attempt(_ batch: FeedBatch) throws {
        let result = sink.deliver(batch)
        let attempts = batch.attempts + 1
        switch result {
        case .delivered(let removed, let rejected):
            try state.transaction {
                if !removed { try state.deleteBatch(seq: batch.seq) }
                try noteDelivered(batch)
                if !rejected.isEmpty {
                    try SyncAlerts.write(rejected.map { r in
                        SyncAlerts.line(type: "feed_lines_rejected", platformID: platformID, batch: batch,
                                        reason: "line \(r.line): \(r.reason)",
                                        action: "the regulator stored the rest of the batch; this line needs a fix in the export or the agent") { $0.add("line", r.line) }
                    }, state: state, outbox: outbox, now: clock.unixTime)
                }
            }
            progress.batchesDelivered += 1
            progress.itemsDelivered += batch.items
            if credentialsRefused {
                credentialsRefused = false
                logger.notice("the regulator accepts this platform's credentials again; delivering the queue")
            }
            logger.debug("feed batch delivered", metadata: ["batch": "\(batch.id)", "items": "\(batch.items)",
                                                            "attempts": "\(attempts)", "rejected_lines": "\(rejected.count)"])
        case .retry(let after, let reason):
            try state.recordFailedAttempt(batch: batch.seq, attempts: attempts,
                                          nextAttemptMs: AgentClock.realUnixMilliseconds() + Int64(after * 1000), error: reason)
            progress.failedAttempts += 1
            progress.lastError = reason
            logger.warning("feed batch not delivered; will retry", metadata: [
                "batch": "\(batch.id)", "attempt": "\(attempts)", "retry_in_s": "\(Self.seconds(after))", "reason": "\(reason)"])
        case .credentialsRefused(let after, let reason):
            try state.transaction {
                try state.recordFailedAttempt(batch: batch.seq, attempts: attempts,
                                              nextAttemptMs: AgentClock.realUnixMilliseconds() + Int64(after * 1000), error: reason)
                if !credentialsRefused {
                    try SyncAlerts.write([SyncAlerts.line(
                        type: "credentials_refused", platformID: platformID, batch: batch, reason: reason,
                        action: "fix token_file / hmac_secret_file and reload the agent; the queue is kept and delivered once the regulator accepts them")],
                        state: state, outbox: outbox, now: clock.unixTime)
                }
            }
            progress.failedAttempts += 1
            progress.lastError = reason
            if !credentialsRefused {
                logger.error("the regulator refused this platform's credentials; the feed queue is kept", metadata: [
                    "batch": "\(batch.id)", "reason": "\(reason)"])
            }
            credentialsRefused = true
        case .deadLetter(let reason):
            try state.transaction {
                try state.markDead(batch: batch.seq, attempts: attempts, reason: reason)
                var dead = batch
                dead.attempts = attempts
                try SyncAlerts.write([SyncAlerts.line(
                    type: "feed_dead_letter", platformID: platformID, batch: dead, reason: reason,
                    action: "the batch is kept in the state's dead letters; after fixing the cause run `sandbox-agent dead-letters --requeue`")],
                    state: state, outbox: outbox, now: clock.unixTime)
            }
            progress.deadLettered += 1
            progress.lastError = reason
            logger.error("feed batch refused by the regulator; kept as a dead letter", metadata: [
                "batch": "\(batch.id)", "items": "\(batch.items)", "reason": "\(reason)"])
        }
    }

    /// Delivery counters for `status` (inside the delivery's transaction).
    private func noteDelivered(_ batch: FeedBatch) throws {
        let items = Int(try state.meta(SyncMeta.itemsDelivered) ?? "0") ?? 0
        let batches = Int(try state.meta(SyncMeta.batchesDelivered) ?? "0") ?? 0
        try state.setMeta(SyncMeta.itemsDelivered, String(items + batch.items))
        try state.setMeta(SyncMeta.batchesDelivered, String(batches + 1))
        let bytes = Int(try state.meta(SyncMeta.bytesDelivered) ?? "0") ?? 0
        try state.setMeta(SyncMeta.bytesDelivered, String(bytes + batch.body.count))
        try state.setMeta(SyncMeta.lastDeliveredAt, String(AgentClock.realUnixTime()))
    }

    /// How a drain ended.
    public enum DrainOutcome: Sendable, Equatable {
        /// Queue and batches empty (dead letters aside).
        case drained
        /// A batch is waiting for a retry; the reason of its last failure.
        case leftForRetry(String)
    }

    /// Freezes and delivers everything now (`run --once`); stops at the first batch that must
    /// wait for a retry, rather than sleeping through the backoff.
    public func drain() throws -> DrainOutcome {
        var tried = Set<Int64>()
        while true {
            lastAttempted = nil
            switch try step(flushPartial: true, dueNow: tried) {
            case .worked:
                if let seq = lastAttempted { tried.insert(seq) }
                continue
            case .idle: return .drained
            case .waitUntil:
                return .leftForRetry(try state.oldestReadyBatch()?.lastError ?? "waiting")
            }
        }
    }

    /// Runs until `stop()` is true; `wake` cuts waits short when new entries are committed.
    public func run(wake: SyncWake, stop: () -> Bool) {
        while !stop() {
            do {
                switch try step(flushPartial: false) {
                case .worked: continue
                case .waitUntil(let ms): wake.wait(untilMs: ms)
                case .idle: wake.wait(untilMs: AgentClock.realUnixMilliseconds() + 1000)
                }
            } catch {
                // The state is busy or the disk full: nothing is lost, try again shortly.
                logger.error("feed sync step failed; retrying in 1 s", metadata: ["error": "\(error)"])
                wake.wait(untilMs: AgentClock.realUnixMilliseconds() + 1000)
            }
        }
    }

    static func seconds(_ s: Double) -> String {
        let tenths = (s * 10).rounded() / 10
        return String(tenths)
    }
}

/// `agent_meta` keys of the regulator link.
enum SyncMeta {
    static let itemsDelivered = "sync.items_delivered"
    static let batchesDelivered = "sync.batches_delivered"
    static let bytesDelivered = "sync.bytes_delivered"
    static let lastDeliveredAt = "sync.last_delivered_at"
    static let directiveCursor = "sync.directive_cursor"
    static let registryCursor = "sync.registry_cursor"
    static let lastDirectivePollAt = "sync.last_directive_poll_at"
}
