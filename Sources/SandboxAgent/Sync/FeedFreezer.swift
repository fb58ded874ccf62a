import Logging

/// Freezes the feed queue into batches a little ahead of the sender, on a thread of its own, so
/// rendering and compressing the next batch overlaps the regulator's work on this one. It stays at
/// most `ahead` batches ahead: while the regulator is down the queue waits on disk, not as a
/// growing pile of frozen bodies (and records changed meanwhile go out in their newest form).
final class FeedFreezer {
    let state: AgentState
    let batcher: FeedBatcher
    let maxAgeMilliseconds: Int64
    let ahead: Int
    let clock: AgentClock
    let logger: Logger
    /// When each endpoint's queue was first seen holding a partial batch (real ms).
    private var partialSince: [FeedEndpoint: Int64] = [:]

    init(state: AgentState, config: AgentConfig, clock: AgentClock, logger: Logger, ahead: Int = 2) throws {
        self.state = state
        self.clock = clock
        self.logger = logger
        self.ahead = ahead
        maxAgeMilliseconds = Int64(config.batchMaxAgeMilliseconds)
        batcher = try FeedBatcher(state: state, platformID: config.platformID, maxRecords: config.batchMaxRecords)
    }

    enum Step: Equatable {
        case froze
        /// `ahead` batches wait for the sender already.
        case aheadFull
        /// A partial batch waits for its age until this real time (ms).
        case waitUntil(Int64)
        /// Nothing queued.
        case empty
    }

    /// Freezes one batch if one is due. `flushPartial`: a partial batch is due now.
    func step(flushPartial: Bool) throws -> Step {
        if try state.readyBatchCount() >= ahead { return .aheadFull }
        let nowMs = AgentClock.realUnixMilliseconds()
        var earliest: Int64?
        for endpoint in FeedEndpoint.allCases {
            let entries = try state.queuedFeed(endpoint: endpoint, limit: batcher.maxRecords)
            guard !entries.isEmpty else { partialSince[endpoint] = nil; continue }
            let since = partialSince[endpoint] ?? nowMs
            if entries.count >= batcher.maxRecords || flushPartial || nowMs - since >= maxAgeMilliseconds {
                let frozen = try batcher.freeze(entries, endpoint: endpoint, now: clock.unixTime)
                partialSince[endpoint] = nil
                if frozen.items > 0 {
                    logger.debug("feed batch frozen", metadata: ["endpoint": "\(endpoint.path)", "items": "\(frozen.items)",
                                                                 "bytes": "\(frozen.rawBytes)", "gzip_bytes": "\(frozen.gzipBytes)"])
                }
                return .froze
            }
            partialSince[endpoint] = since
            earliest = min(earliest ?? .max, since + maxAgeMilliseconds)
        }
        return earliest.map(Step.waitUntil) ?? .empty
    }

    /// Runs until `stop()`: woken by `wake` (a file committed, or the sender made room), rings
    /// `sender` after every batch.
    func run(wake: SyncWake, sender: SyncWake, flushPartial: Bool = false, stop: () -> Bool) {
        while !stop() {
            do {
                switch try step(flushPartial: flushPartial) {
                case .froze: sender.ring()
                case .waitUntil(let ms): wake.wait(untilMs: ms)
                case .aheadFull, .empty: wake.wait(untilMs: AgentClock.realUnixMilliseconds() + 1000)
                }
            } catch {
                // The state is busy or the disk full: nothing is lost, try again shortly.
                logger.error("feed batching failed; retrying in 1 s", metadata: ["error": "\(error)"])
                wake.wait(untilMs: AgentClock.realUnixMilliseconds() + 1000)
            }
        }
    }

    /// `run --once`: freezes everything queued now, partial batches included, staying `ahead`
    /// batches ahead of the sender; returns when the queue is empty (or on an error, logged).
    func drain(wake: SyncWake, sender: SyncWake, stop: () -> Bool) {
        while !stop() {
            do {
                switch try step(flushPartial: true) {
                case .froze: sender.ring()
                case .aheadFull: wake.wait(untilMs: AgentClock.realUnixMilliseconds() + 200)
                case .empty, .waitUntil: return
                }
            } catch {
                logger.error("feed batching failed; the rest of the queue waits for the next run", metadata: ["error": "\(error)"])
                return
            }
        }
    }
}
