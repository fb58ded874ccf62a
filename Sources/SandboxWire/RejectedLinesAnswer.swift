/// A line of a feed or receipts batch that was not applied, and why.
public struct FeedRejection: Sendable, Equatable, Codable {
    public var line: Int
    public var reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }
}

/// POST /v1/receipts answer: like a feed's, the first rejected lines and their count.
public struct ReceiptAnswer: Sendable, Equatable, Codable {
    public var accepted: Int
    public var duplicates: Int
    public var rejected: [FeedRejection]
    public var rejectedCount: Int

    public init(accepted: Int, duplicates: Int, rejected: [FeedRejection], rejectedCount: Int) {
        self.accepted = accepted; self.duplicates = duplicates; self.rejected = rejected; self.rejectedCount = rejectedCount
    }

    enum CodingKeys: String, CodingKey { case accepted, duplicates, rejected, rejectedCount = "rejected_count" }
}

/// What the agent reads of a feed's or a receipts' answer (`FeedAnswer`, `ReceiptAnswer`): the
/// rejected lines listed, and how many there were in all — a regulator from before the count
/// listed every one, so a missing count is the list's length.
public struct RejectedLinesAnswer: Sendable, Equatable, Decodable {
    public var rejected: [FeedRejection]
    public var rejectedCount: Int?

    enum CodingKeys: String, CodingKey { case rejected, rejectedCount = "rejected_count" }
}
