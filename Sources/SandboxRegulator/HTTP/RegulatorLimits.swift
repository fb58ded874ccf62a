/// What one feed or receipts request may cost the regulator, and all of them together
/// (docs/regulator.md, docs/security.md "Issue 17").
public struct RegulatorLimits: Sendable {
    /// Largest body accepted as sent (compressed), in bytes.
    public var maxBodyBytes: Int
    /// Largest body once gzip is undone. The inflated bytes are streamed, never held whole, so
    /// this bounds the work a small gzip can cause (a bomb of a few KB), not memory.
    public var maxDecompressedBytes: Int
    /// Most lines in one feed or receipts body: the agent sends at most `batch_max_records`
    /// (≤ 100,000) per batch. Each line costs a parse and possibly a rejection; without a bound a
    /// few KB of gzip held millions of them.
    public var maxLines: Int
    /// Longest line of a feed or receipts body, as for the inbox readers: a longer one is a
    /// rejected line, skipped without being held.
    public var maxLineBytes: Int
    /// What all feed and receipts requests together may hold at once: their compressed bodies,
    /// the items parsed from them until stored, and each one's working set. A request that would
    /// go over is answered 429 with `Retry-After: retryAfterSeconds`; one that could never fit,
    /// 413.
    public var maxInflightBytes: Int
    /// The `Retry-After` of a 429 when the intake budget is taken: about how long a large batch
    /// takes to be parsed and stored, so the budget has been given back when the agent returns.
    public var retryAfterSeconds: Int

    /// `maxDecompressedBytes` nil: 8 × `maxBodyBytes`, as before it could be set.
    public init(maxBodyBytes: Int = 64 << 20, maxDecompressedBytes: Int? = nil, maxLines: Int = 100_000,
                maxLineBytes: Int = 1 << 20, maxInflightBytes: Int = 512 << 20, retryAfterSeconds: Int = 2) {
        self.maxBodyBytes = maxBodyBytes
        let eightFold = maxBodyBytes.multipliedReportingOverflow(by: 8)
        self.maxDecompressedBytes = maxDecompressedBytes ?? (eightFold.overflow ? Int.max : eightFold.partialValue)
        self.maxLines = maxLines
        self.maxLineBytes = maxLineBytes
        self.maxInflightBytes = maxInflightBytes
        self.retryAfterSeconds = retryAfterSeconds
    }
}
