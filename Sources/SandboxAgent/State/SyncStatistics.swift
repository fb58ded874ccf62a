/// The regulator link as the state sees it, for `status` and the metrics.
public struct SyncStatistics: Equatable, Sendable {
    /// Changes queued and not yet in a batch.
    public var queued = 0
    /// `queued_at` of the oldest queued change (agent clock, Unix seconds).
    public var oldestQueuedAt: Int64?
    /// Frozen batches waiting to be delivered, and the items in them.
    public var readyBatches = 0
    public var readyItems = 0
    /// Batches the regulator refused for good.
    public var deadBatches = 0
    public var deadItems = 0
    /// The oldest ready batch's failed attempts and last error, when it has failed.
    public var failedAttempts = 0
    public var lastError: String?
    public var nextAttemptAtMs: Int64?
    public var itemsDelivered = 0
    public var batchesDelivered = 0
    /// gzip bytes of the delivered batch bodies (what went over the wire, headers aside).
    public var bytesDelivered = 0
    /// Real time, Unix seconds.
    public var lastDeliveredAt: Int64?
    public var directivesReceived = 0
    public var directiveCursor: Int64 = 0
    public var registryCursor: Int64 = 0
    public var lastDirectivePollAt: Int64?

    public init() {}
}

extension AgentState {
    public func syncStatistics() throws -> SyncStatistics {
        var s = SyncStatistics()
        (s.queued, s.oldestQueuedAt) = try feedQueueDepth()
        let q = try database.prepare("SELECT state, count(*), total(items) FROM feed_batches GROUP BY state")
        defer { q.reset() }
        while try q.step() {
            if q.string(0) == "ready" { s.readyBatches = q.int(1); s.readyItems = Int(q.double(2)) }
            if q.string(0) == "dead" { s.deadBatches = q.int(1); s.deadItems = Int(q.double(2)) }
        }
        if let oldest = try oldestReadyBatch(), oldest.attempts > 0 {
            s.failedAttempts = oldest.attempts
            s.lastError = oldest.lastError
            s.nextAttemptAtMs = oldest.nextAttemptMs
        }
        func number(_ key: String) throws -> Int64? { try meta(key).flatMap { Int64($0) } }
        s.itemsDelivered = Int(try number(SyncMeta.itemsDelivered) ?? 0)
        s.batchesDelivered = Int(try number(SyncMeta.batchesDelivered) ?? 0)
        s.bytesDelivered = Int(try number(SyncMeta.bytesDelivered) ?? 0)
        s.lastDeliveredAt = try number(SyncMeta.lastDeliveredAt)
        s.directivesReceived = try directiveCount()
        s.directiveCursor = try number(SyncMeta.directiveCursor) ?? 0
        s.registryCursor = try number(SyncMeta.registryCursor) ?? 0
        s.lastDirectivePollAt = try number(SyncMeta.lastDirectivePollAt)
        return s
    }
}
