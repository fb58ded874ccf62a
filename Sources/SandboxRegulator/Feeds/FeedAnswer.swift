import SandboxWire

/// What POST /v1/feeds answers: how many lines were taken, which were not, and whether the
/// batch had been received before.
public struct FeedAnswer: Sendable, Equatable, Codable {
    public var batch: String
    public var accepted: Int
    /// The first `RejectedLines.listLimit` rejected lines with their reason…
    public var rejected: [FeedRejection]
    /// …and how many were rejected in all.
    public var rejectedCount: Int
    public var duplicate: Bool

    public init(batch: String, accepted: Int, rejected: RejectedLines, duplicate: Bool) {
        self.batch = batch; self.accepted = accepted
        self.rejected = rejected.listed; rejectedCount = rejected.count
        self.duplicate = duplicate
    }

    enum CodingKeys: String, CodingKey {
        case batch, accepted, rejected, rejectedCount = "rejected_count", duplicate
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        batch = try c.decode(String.self, forKey: .batch)
        accepted = try c.decode(Int.self, forKey: .accepted)
        rejected = try c.decode([FeedRejection].self, forKey: .rejected)
        // Answers stored before the count existed listed every rejected line.
        rejectedCount = try c.decodeIfPresent(Int.self, forKey: .rejectedCount) ?? rejected.count
        duplicate = try c.decode(Bool.self, forKey: .duplicate)
    }
}

/// What the store made of a batch.
public enum FeedOutcome: Sendable, Equatable {
    case applied(FeedAnswer)
    /// The key was seen with this very body: nothing applied again, the first answer repeated.
    case duplicate(FeedAnswer)
    /// The key was seen with another body.
    case keyReused
}
