/// Counts of what one platform (or all of them) delivered.
public struct PlatformStats: Sendable, Equatable, Codable {
    public var merchantRecords = 0
    public var distinctUSCC = 0
    public var batchesAccepted = 0
    public var batchesDuplicate = 0
    public var itemsAccepted = 0
    public var itemsRejected = 0
    /// Records stored by type (merchant, licence, event, findings).
    public var recordsByType: [String: Int] = [:]

    public init() {}

    enum CodingKeys: String, CodingKey {
        case merchantRecords = "merchant_records", distinctUSCC = "distinct_uscc"
        case batchesAccepted = "batches_accepted", batchesDuplicate = "batches_duplicate"
        case itemsAccepted = "items_accepted", itemsRejected = "items_rejected"
        case recordsByType = "records_by_type"
    }
}

/// GET /v1/admin/stats: the totals, and the same per platform.
public struct RegulatorStats: Sendable, Equatable, Encodable {
    public var total: PlatformStats
    public var platforms: [String: PlatformStats]

    public func encode(to encoder: Encoder) throws {
        try total.encode(to: encoder)
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(platforms, forKey: Key(stringValue: "platforms"))
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
