extension String {
    /// Runs `body` on the string's UTF-8 bytes without copying the string. `withUTF8` is
    /// `mutating`: called on a copy (`var s = text; s.withUTF8 {…}`), as the house did in its
    /// JSON, CSV and key tables, it retains the string's storage before and releases it after —
    /// two atomic operations per value, tens of millions in a first policy pass, where the Swift
    /// runtime's reference counting was a third of the renderer's time (issue 16, session 40).
    /// Native and small strings are read in place; only a string without contiguous UTF-8 (one
    /// bridged from elsewhere) is copied, as before.
    @inlinable
    public func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let r = try utf8.withContiguousStorageIfAvailable(body) { return r }
        var copy = self
        return try copy.withUTF8(body)
    }
}
