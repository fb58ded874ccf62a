/// One record as a platform filed it, for the staff's profile view.
public struct StoredRecord: Sendable, Equatable, Encodable {
    public var platformID: String
    public var key: String
    public var contentHash: String
    public var updatedAt: String
    public var data: JSONValue

    enum CodingKeys: String, CodingKey {
        case platformID = "platform_id", key, contentHash = "content_hash", updatedAt = "updated_at", data
    }
}

/// 全景多维信用画像: everything filed under one USCC, merged across platforms.
public struct MerchantProfile: Sendable, Equatable, Encodable {
    public var uscc: String
    /// The registry entry, when the registry knows the USCC.
    public var identity: JSONValue
    public var storefronts: [StoredRecord]
    public var licences: [StoredRecord]
    public var events: [StoredRecord]
    /// Current findings per platform id.
    public var findings: [String: JSONValue]
}
