/// Where frozen batches go: the regulator over HTTP, or the outbox when offline.
protocol FeedSink: AnyObject {
    func deliver(_ batch: FeedBatch) -> DeliveryResult
}

/// What one delivery attempt came to.
enum DeliveryResult: Equatable {
    /// Taken. `removed`: the sink already deleted the batch row (in its own transaction).
    /// `rejected`: lines the regulator did not apply, by 1-based line number; `unlisted`: how many
    /// more it rejected without listing them (it lists the first 100 of a batch).
    case delivered(removed: Bool, rejected: [RejectedLine], unlisted: Int = 0)
    case retry(afterSeconds: Double, reason: String)
    /// 401/403: the batch is fine, the platform's token or HMAC secret is not. Kept and retried.
    case credentialsRefused(afterSeconds: Double, reason: String)
    case deadLetter(reason: String)
}

struct RejectedLine: Equatable {
    var line: Int
    var reason: String
}
