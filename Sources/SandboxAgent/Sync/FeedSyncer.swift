import Foundation
import Synchronization
import Logging

/// Delivers frozen batches (`FeedFreezer` makes them) to the regulator, oldest first, and records
/// the outcome — deleted when taken, retried with backoff, kept and alerted when refused.
/// Everything it knows is in the database, so a restart (or kill -9) resumes exactly where it was.
///
/// One owner thread; its own `AgentState` connection and its own regulator connection.
public final class FeedSyncer {
    let state: AgentState
    let sink: FeedSink
    let platformID: String
    let outbox: String
    let clock: AgentClock
    let logger: Logger
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
        /// The oldest batch waits for its retry until this real time (ms).
        case waitUntil(Int64)
        /// No batch ready.
        case idle
    }

    init(state: AgentState, sink: FeedSink, config: AgentConfig, clock: AgentClock, logger: Logger) {
        self.state = state
        self.sink = sink
        self.platformID = config.platformID
        self.outbox = config.outbox
        self.clock = clock
        self.logger = logger
    }

    /// Delivers the oldest ready batch if it is due. `dueNow`: a batch not yet tried in this drain
    /// goes now, whatever its backoff says (the operator's `run --once` means "try now").
    func step(dueNow: Set<Int64>? = nil) throws -> Step {
        guard let batch = try state.oldestReadyBatch() else { return .idle }
        // Strict order: while the oldest waits for its retry, nothing newer is sent.
        let skipBackoff = dueNow.map { !$0.contains(batch.seq) } ?? false
        if batch.nextAttemptMs > AgentClock.realUnixMilliseconds() && !skipBackoff { return .waitUntil(batch.nextAttemptMs) }
        lastAttempted = batch.seq
        try attempt(batch)
        return .worked
    }

    private func attempt(_ batch: FeedBatch) throws {
        let result = sink.deliver(batch)
        let attempts = batch.attempts + 1
        switch result {
        case .delivered(let removed, let rejected, let unlisted):
            try state.transaction {
                if !removed { try state.deleteBatch(seq: batch.seq) }
                try noteDelivered(batch)
                var lines = rejected.map { r in
                    SyncAlerts.line(type: "feed_lines_rejected", platformID: platformID, batch: batch,
                                    reason: "line \(r.line): \(r.reason)",
                                    action: "the regulator stored the rest of the batch; this line needs a fix in the export or the agent") { $0.add("line", r.line) }
                }
                if unlisted > 0 {
                    lines.append(SyncAlerts.line(
                        type: "feed_lines_rejected", platformID: platformID, batch: batch,
                        reason: "\(unlisted) more line(s) rejected; the regulator lists only the first \(rejected.count) of a batch",
                        action: "fix the lines above and look for the same fault in the rest of the export") { $0.add("unlisted", unlisted) })
                }
                try SyncAlerts.write(lines, state: state, outbox: outbox, now: clock.unixTime)
            }
            progress.batchesDelivered += 1
            progress.itemsDelivered += batch.items
            if credentialsRefused {
                credentialsRefused = false
                logger.notice("the regulator accepts this platform's credentials again; delivering the queue")
            }
            logger.debug("feed batch delivered", metadata: ["batch": "\(batch.id)", "items": "\(batch.items)",
                                                            "attempts": "\(attempts)", "rejected_lines": "\(rejected.count + unlisted)"])
        case .retry(let after, let reason):
            try keepForRetry(batch, attempts: attempts, after: after, reason: reason)
            logger.warning("feed batch not delivered; will retry", metadata: [
                "batch": "\(batch.id)", "attempt": "\(attempts)", "retry_in_s": "\(Self.seconds(after))", "reason": "\(reason)"])
        case .credentialsRefused(let after, let reason):
            try state.transaction {
                try keepForRetry(batch, attempts: attempts, after: after, reason: reason)
                if !credentialsRefused {
                    try SyncAlerts.write([SyncAlerts.line(
                        type: "credentials_refused", platformID: platformID, batch: batch, reason: reason,
                        action: "fix token_file / hmac_secret_file and reload the agent; the queue is kept and delivered once the regulator accepts them")],
                        state: state, outbox: outbox, now: clock.unixTime)
                }
            }
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

    /// A failed attempt the batch survives: when to try again, and why, for `status` and the log.
    private func keepForRetry(_ batch: FeedBatch, attempts: Int, after: Double, reason: String) throws {
        try state.recordFailedAttempt(batch: batch.seq, attempts: attempts,
                                      nextAttemptMs: AgentClock.realUnixMilliseconds() + Int64(after * 1000), error: reason)
        progress.failedAttempts += 1
        progress.lastError = reason
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

    /// Freezes and delivers everything now (`run --once`), the freezer on a thread beside this
    /// one; stops at the first batch that must wait for a retry rather than sleeping through the
    /// backoff.
    func drain(freezer: @escaping @Sendable (SyncWake, SyncWake, @escaping @Sendable () -> Bool) -> Void) throws -> DrainOutcome {
        let freezerWake = SyncWake(), senderWake = SyncWake()
        let flags = DrainFlags()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            freezer(freezerWake, senderWake) { flags.stopped }
            flags.finish()
            senderWake.ring()
            done.signal()
        }
        thread.start()
        defer {
            flags.stop()
            freezerWake.ring()
            done.wait()
        }
        var tried = Set<Int64>()
        while true {
            lastAttempted = nil
            switch try step(dueNow: tried) {
            case .worked:
                if let seq = lastAttempted { tried.insert(seq) }
                freezerWake.ring()
            case .idle:
                // Nothing ready: done once the freezer has emptied the queue.
                if flags.finished, try state.readyBatchCount() == 0 {
                    let left = try state.feedQueueDepth().count
                    return left == 0 ? .drained : .leftForRetry("\(left) queued change(s) could not be batched; see the log")
                }
                senderWake.wait(untilMs: AgentClock.realUnixMilliseconds() + 200)
            case .waitUntil:
                return .leftForRetry(try state.oldestReadyBatch()?.lastError ?? "waiting")
            }
        }
    }

    /// Runs until `stop()` is true; `wake` cuts waits short when a batch is frozen. Rings
    /// `freezer` after each delivery (room for the next batch).
    public func run(wake: SyncWake, freezer: SyncWake, stop: () -> Bool) {
        while !stop() {
            do {
                switch try step() {
                case .worked: freezer.ring()
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

/// The drain's two flags between the sender and the freezer thread.
private final class DrainFlags: Sendable {
    private let flags = Mutex((stopped: false, finished: false))
    var stopped: Bool { flags.withLock { $0.stopped } }
    var finished: Bool { flags.withLock { $0.finished } }
    func stop() { flags.withLock { $0.stopped = true } }
    func finish() { flags.withLock { $0.finished = true } }
}
