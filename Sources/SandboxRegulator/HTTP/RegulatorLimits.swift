/// Size limits on request bodies.
public struct RegulatorLimits: Sendable {
    /// Largest body accepted as sent (compressed), in bytes.
    public var maxBodyBytes: Int
    /// Largest body after gzip is undone: a small bomb must not take the memory.
    public var maxDecompressedBytes: Int { maxBodyBytes.multipliedReportingOverflow(by: 8).overflow ? Int.max : maxBodyBytes * 8 }

    public init(maxBodyBytes: Int = 64 << 20) { self.maxBodyBytes = maxBodyBytes }
}
