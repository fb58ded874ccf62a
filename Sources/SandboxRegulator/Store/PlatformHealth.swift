import SandboxCore

/// One platform's link as the regulator sees it (GET /v1/admin/platforms): whether its agent is
/// in contact, what it last sent, and the directives it has not answered.
public struct PlatformHealth: Sendable, Equatable, Encodable {
    /// `ok`: in contact within the silence threshold; `silent`: not since; `never`: no batch,
    /// receipt or poll seen yet.
    public var state: String
    public var platformID: String
    /// The latest of the three below.
    public var lastContactAt: Int64?
    public var lastBatchAt: Int64?
    public var lastReceiptAt: Int64?
    /// Since this regulator process started (kept in memory).
    public var lastDirectivePollAt: Int64?
    /// Directives of a type that expects a receipt (ReceiptRule) with no receipt yet.
    public var directivesAwaitingReceipt: Int
    public var oldestAwaitingSince: Int64?
    public var batchesAccepted: Int
    public var itemsAccepted: Int
    public var itemsRejected: Int

    enum CodingKeys: String, CodingKey {
        case state, platformID = "platform_id", lastContactAt = "last_contact_at", lastBatchAt = "last_batch_at"
        case lastReceiptAt = "last_receipt_at", lastDirectivePollAt = "last_directive_poll_at"
        case directivesAwaitingReceipt = "directives_awaiting_receipt", oldestAwaitingSince = "oldest_awaiting_since"
        case batchesAccepted = "batches_accepted", itemsAccepted = "items_accepted", itemsRejected = "items_rejected"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(state, forKey: .state)
        try c.encode(platformID, forKey: .platformID)
        // Times as RFC 3339 like everywhere in the API; null when never.
        func time(_ t: Int64?, _ key: CodingKeys) throws {
            if let t { try c.encode(UTCTime.rfc3339(t), forKey: key) } else { try c.encodeNil(forKey: key) }
        }
        try time(lastContactAt, .lastContactAt)
        try time(lastBatchAt, .lastBatchAt)
        try time(lastReceiptAt, .lastReceiptAt)
        try time(lastDirectivePollAt, .lastDirectivePollAt)
        try c.encode(directivesAwaitingReceipt, forKey: .directivesAwaitingReceipt)
        try time(oldestAwaitingSince, .oldestAwaitingSince)
        try c.encode(batchesAccepted, forKey: .batchesAccepted)
        try c.encode(itemsAccepted, forKey: .itemsAccepted)
        try c.encode(itemsRejected, forKey: .itemsRejected)
    }
}

/// GET /v1/admin/platforms.
public struct PlatformHealthList: Sendable, Encodable {
    public var silentAfterSeconds: Int64
    public var platforms: [PlatformHealth]
    enum CodingKeys: String, CodingKey { case silentAfterSeconds = "silent_after_seconds", platforms }
}
