/// Trimming and small shape checks over a value's UTF-8 bytes (no Foundation, no `Character`s).
public enum FieldText {
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    /// The value without surrounding ASCII whitespace, or nil when nothing remains (= absent).
    /// Returns the same string, without copying, when there is nothing to trim.
    public static func trimmed(_ text: String) -> String? {
        let u = text.utf8
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
