/// What POST /v1/feeds answers: how many lines were taken, which were not, and whether the
/// batch had been received before.
public struct FeedAnswer: Sendable, Equatable, Codable {
    public var batch: String
    public var accepted: Int
    public var rejected: [FeedRejection]
    public var duplicate: Bool
}

/// What the store made of a batch.
public enum FeedOutcome: Sendable, Equatable {
    case applied(FeedAnswer)
    /// The key was seen with this very body: nothing applied again, the first answer repeated.
    case duplicate(FeedAnswer)
    /// The key was seen with another body.
    case keyReused
}
