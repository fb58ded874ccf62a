/// Trimming and small shape checks over a value's UTF-8 bytes (no Foundation, no `Character`s).
public enum FieldText {
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    /// The value without surrounding ASCII whitespace, or nil when nothing remains (= absent).
    /// Returns the same string, without copying, when there is nothing to trim.
    public static func trimmed(_ text: String) -> String? {
        let u = text.utf8
        // Fast path on contiguous bytes: most values have nothing to trim.
        let clean: Bool? = u.withContiguousStorageIfAvailable { b in
            b.isEmpty ? false : !isSpace(b[0]) && !isSpace(b[b.count - 1])
        }
        if clean == true { return text }
        guard let first = u.first else { return nil }
        if !isSpace(first) && !isSpace(u.last!) { return text }
        var lo = u.startIndex, hi = u.endIndex
        while lo < hi, isSpace(u[lo]) { lo = u.index(after: lo) }
        while hi > lo, isSpace(u[u.index(before: hi)]) { hi = u.index(before: hi) }
        return lo == hi ? nil : String(text[lo..<hi])
    }

    /// `'…'` quoting for messages, shortened so a wrong column's long text does not flood a report.
    public static func quoted(_ text: String) -> String {
        let limit = 40
        if text.unicodeScalars.count <= limit { return "'\(text)'" }
        return "'" + String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit))) + "…'"
    }

    /// Byte-wise equality: `==` on `String` checks Unicode canonical equivalence, which is
    /// needlessly slow for the fixed spellings (是, 企业) compared on every row.
    @inline(__always) static func bytesEqual(_ text: String, _ bytes: [UInt8]) -> Bool {
        let u = text.utf8
        guard u.count == bytes.count else { return false }
        return u.withContiguousStorageIfAvailable { a in bytes.withUnsafeBufferPointer { equal(a, $0) } } ?? u.elementsEqual(bytes)
    }

    /// Byte-wise equality of two strings, on contiguous storage when available.
    @inline(__always) static func sameBytes(_ a: String, _ b: String) -> Bool {
        let ua = a.utf8, ub = b.utf8
        guard ua.count == ub.count else { return false }
        let fast: Bool?? = ua.withContiguousStorageIfAvailable { pa in
            ub.withContiguousStorageIfAvailable { pb in equal(pa, pb) }
        }
        if let fast, let same = fast { return same }
        return ua.elementsEqual(ub)
    }

    /// Whether two runs of bytes are equal, eight bytes a step. `elementsEqual` compared them one
    /// by one through the generic sequence path, about nineteen instructions a byte: 12 % of the
    /// verifier's instructions in an ingest, where names and addresses are compared with the
    /// registry's for every merchant (issue 16, session 35). Inlinable: the policy's id table
    /// (`ByteKeyTable`) compares keys with it in its hottest loop.
    @inlinable @inline(__always) public static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = a.count
        guard n == b.count else { return false }
        guard n > 0 else { return true }
        let pa = a.baseAddress!, pb = b.baseAddress!
        let ra = UnsafeRawPointer(pa), rb = UnsafeRawPointer(pb)
        var i = 0
        while i + 8 <= n {
            if ra.loadUnaligned(fromByteOffset: i, as: UInt64.self) != rb.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < n {
            if pa[i] != pb[i] { return false }
            i += 1
        }
        return true
    }

    /// Whether `a` comes before `b` in byte order: SQLite's BINARY collation and `TextColumn`'s
    /// sort (the first differing byte decides, else the shorter first). Eight bytes a step, read
    /// big-endian so that the words compare as the bytes do.
    @inlinable @inline(__always) public static func precedes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = min(a.count, b.count)
        var i = 0
        if n > 0 {
            let ra = UnsafeRawPointer(a.baseAddress!), rb = UnsafeRawPointer(b.baseAddress!)
            while i + 8 <= n {
                let x = UInt64(bigEndian: ra.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let y = UInt64(bigEndian: rb.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                if x != y { return x < y }
                i += 8
            }
            while i < n {
                if a[i] != b[i] { return a[i] < b[i] }
                i += 1
            }
        }
        return a.count < b.count
    }

    /// True when every byte satisfies `predicate`, on contiguous storage when available.
    @inline(__always) static func allBytes(_ text: String, _ predicate: (UInt8) -> Bool) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(predicate) } ?? text.utf8.allSatisfy(predicate)
    }

    /// Non-negative integer of 1…18 ASCII digits (no sign, no spaces); nil otherwise.
    static func digits<C: Collection>(_ bytes: C) -> Int64? where C.Element == UInt8 {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var v: Int64 = 0
        for b in bytes {
            guard b >= 0x30 && b <= 0x39 else { return nil }
            v = v * 10 + Int64(b - 0x30)
        }
        return v
    }
}
