/// A column of texts in one byte buffer (docs/policy.md §13.1): row i is the UTF-8 bytes from
/// the end of row i − 1 to `ends[i]`, or nil where the end carries `absent`. A `String` per row —
/// merchant ids, USCCs and shop names of 469,000 merchants; ids and descriptions of 2,000,000
/// events, nearly all nil — was a large part of the loaded facts' memory (issue 16): here a row
/// costs four bytes and its text, and a `String` is made only when the row is read.
public struct TextColumn: RandomAccessCollection, Sendable, Equatable {
    public private(set) var bytes: [UInt8] = []
    private var ends: [UInt32] = []
    private static let absent: UInt32 = 0x8000_0000

    public init() {}

    public init<S: Sequence>(_ texts: S) where S.Element == String? {
        for t in texts { append(t) }
    }

    public init(repeating text: String?, count: Int) {
        self.init()
        ends.reserveCapacity(count)
        for _ in 0..<count { append(text) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { ends.count }

    public mutating func reserveCapacity(rows: Int, bytes byteCount: Int) {
        ends.reserveCapacity(rows)
        bytes.reserveCapacity(byteCount)
    }

    private var end: UInt32 { (ends.last ?? 0) & ~Self.absent }

    public mutating func append(_ text: String?) {
        guard var text else { ends.append(end | Self.absent); return }
        text.withUTF8 { append(bytes: $0) }
    }

    /// Appends a row from bytes (nil: no value), e.g. straight from SQLite's buffer.
    public mutating func append(bytes text: UnsafeBufferPointer<UInt8>?) {
        guard let text else { ends.append(end | Self.absent); return }
        bytes.append(contentsOf: text)
        precondition(bytes.count < Int(Self.absent), "a text column holds less than 2 GiB")
        ends.append(UInt32(bytes.count))
    }

    private func range(_ i: Int) -> Range<Int>? {
        let e = ends[i]
        guard e & Self.absent == 0 else { return nil }
        return (i == 0 ? 0 : Int(ends[i - 1] & ~Self.absent))..<Int(e)
    }

    public func isNil(_ i: Int) -> Bool { ends[i] & Self.absent != 0 }

    public subscript(i: Int) -> String? {
        guard let r = range(i) else { return nil }
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[r]), as: UTF8.self) }
    }

    /// Row i's bytes without making a `String` (nil: no value).
    public func withBytes<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>?) throws -> R) rethrows -> R {
        guard let r = range(i) else { return try body(nil) }
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[r])) }
    }

    /// The rows in the given order; a negative row gives nil (a merchant without a registry entry).
    public func gathered(_ rows: [Int]) -> TextColumn {
        var out = TextColumn()
        out.ends.reserveCapacity(rows.count)
        for r in rows {
            if r < 0 { out.append(nil) } else { withBytes(r) { out.append(bytes: $0) } }
        }
        return out
    }
}
