/// Size limits on request bodies.
public struct RegulatorLimits: Sendable {
    /// Largest body accepted as sent (compressed), in bytes.
    public var maxBodyBytes: Int
    /// Largest body after gzip is undone: a small bomb must not take the memory.
    public var maxDecompressedBytes: Int { maxBodyBytes.multipliedReportingOverflow(by: 8).overflow ? Int.max : maxBodyBytes * 8 }
    /// Most lines in one feed or receipts body: the agent sends at most `batch_max_records`
    /// (≤ 100,000) per batch. Each line costs a parse and possibly a rejection; without a bound a
    /// few KB of gzip held millions of them.
    public var maxLines: Int

    public init(maxBodyBytes: Int = 64 << 20, maxLines: Int = 100_000) {
        self.maxBodyBytes = maxBodyBytes
        self.maxLines = maxLines
    }
}
