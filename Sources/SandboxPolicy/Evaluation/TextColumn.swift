/// A column of texts in one byte buffer (docs/policy.md §13.1): row i is the UTF-8 bytes from
/// the end of row i − 1 to `ends[i]`, or nil where the end carries `absent`. A `String` per row —
/// merchant ids, USCCs and shop names of 469,000 merchants; ids and descriptions of 2,000,000
/// events, nearly all nil — was a large part of the loaded facts' memory (issue 16): here a row
/// costs four bytes and its text, and a `String` is made only when the row is read.
///
/// A sparse column (`init(sparse: true)`) keeps ends only for the rows with a value, beside the
/// sorted list of those rows, and finds a row by binary search: the events' ids and descriptions,
/// kept only for the events recent enough to open a case, were 16 MB of ends for 2,000,000 rows
/// of which 82,000 have a value.
public struct TextColumn: RandomAccessCollection, Sendable, Equatable {
    public private(set) var bytes: [UInt8] = []
    private var ends: [UInt32] = []
    private static let absent: UInt32 = 0x8000_0000
    /// Sparse: the rows with a value, ascending (`ends[k]` is the end of `present[k]`'s text).
    private var present: [Int32]?
    private var sparseCount = 0

    public init() {}

    /// A column whose nil rows cost nothing (`sparse`), for columns that are nearly all nil.
    public init(sparse: Bool) { if sparse { present = [] } }

    public init<S: Sequence>(_ texts: S) where S.Element == String? {
        for t in texts { append(t) }
    }

    public init(repeating text: String?, count: Int) {
        self.init()
        ends.reserveCapacity(count)
        for _ in 0..<count { append(text) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { present == nil ? ends.count : sparseCount }

    public mutating func reserveCapacity(rows: Int, bytes byteCount: Int) {
        if present == nil { ends.reserveCapacity(rows) }
        bytes.reserveCapacity(byteCount)
    }

    private var end: UInt32 { (ends.last ?? 0) & ~Self.absent }

    public mutating func append(_ text: String?) {
        guard let text else { append(bytes: nil); return }
        text.withUTF8Bytes { append(bytes: $0) }
    }

    /// Appends a row from bytes (nil: no value), e.g. straight from SQLite's buffer.
    public mutating func append(bytes text: UnsafeBufferPointer<UInt8>?) {
        if present != nil {
            defer { sparseCount += 1 }
            guard text != nil else { return }
            precondition(sparseCount < Int(Int32.max), "a sparse text column holds less than 2^31 rows")
            present!.append(Int32(sparseCount))
        }
        guard let text else { ends.append(end | Self.absent); return }
        bytes.append(contentsOf: text)
        precondition(bytes.count < Int(Self.absent), "a text column holds less than 2 GiB")
        ends.append(UInt32(bytes.count))
    }

    /// Where row i's end is kept: i itself, or its place among the present rows (nil: no value).
    private func slot(_ i: Int) -> Int? {
        guard let present else { return i }
        return present.index(ofSorted: Int32(i)) { $0 }
    }

    private func range(_ i: Int) -> Range<Int>? {
        guard let k = slot(i) else { return nil }
        let e = ends[k]
        guard e & Self.absent == 0 else { return nil }
        return (k == 0 ? 0 : Int(ends[k - 1] & ~Self.absent))..<Int(e)
    }

    public func isNil(_ i: Int) -> Bool { range(i) == nil }

    /// Equal when the rows are: a sparse column equals a dense one with the same texts.
    public static func == (a: TextColumn, b: TextColumn) -> Bool {
        guard a.count == b.count else { return false }
        for i in a.indices where a.range(i).map({ Array(a.bytes[$0]) }) != b.range(i).map({ Array(b.bytes[$0]) }) { return false }
        return true
    }

    public subscript(i: Int) -> String? {
        guard let r = range(i) else { return nil }
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[r]), as: UTF8.self) }
    }

    /// Row i's bytes without making a `String` (nil: no value).
    public func withBytes<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>?) throws -> R) rethrows -> R {
        guard let r = range(i) else { return try body(nil) }
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[r])) }
    }

    /// The rows in ascending order of their bytes (a nil row as if empty; equal rows in row order).
    /// Sorted by each row's first eight bytes as one number, its whole bytes only where those tie:
    /// 469,000 merchant ids in a few tens of milliseconds, without a `String` per row.
    public func ascendingRows() -> [Int] {
        precondition(present == nil, "ascendingRows is for a dense column")
        return bytes.withUnsafeBufferPointer { b in
            func text(_ i: Int) -> UnsafeBufferPointer<UInt8> {
                guard let r = range(i) else { return UnsafeBufferPointer(rebasing: b[0..<0]) }
                return UnsafeBufferPointer(rebasing: b[r])
            }
            var keys: [(prefix: UInt64, row: Int32)] = []
            keys.reserveCapacity(ends.count)
            for i in 0..<ends.count {
                let t = text(i)
                var prefix: UInt64 = 0
                for k in 0..<8 { prefix = prefix << 8 | (k < t.count ? UInt64(t[k]) : 0) }
                keys.append((prefix, Int32(i)))
            }
            keys.sort { x, y in
                if x.prefix != y.prefix { return x.prefix < y.prefix }
                let a = text(Int(x.row)), c = text(Int(y.row))
                if a.elementsEqual(c) { return x.row < y.row }
                return a.lexicographicallyPrecedes(c)
            }
            return keys.map { Int($0.row) }
        }
    }

    /// The rows in the given order; a negative row gives nil (a merchant without a registry entry).
    /// Its bytes are sized before they are copied: grown by appends, the ids' and USCCs' buffers
    /// of 469,000 merchants ended in 32 MiB of capacity for 13 MB of text, held through the pass
    /// (issue 16, session 32).
    public func gathered(_ rows: [Int]) -> TextColumn {
        var out = TextColumn()
        out.ends.reserveCapacity(rows.count)
        out.bytes.reserveCapacity(rows.reduce(0) { total, r in total + (r < 0 ? 0 : range(r)?.count ?? 0) })
        for r in rows {
            if r < 0 { out.append(nil) } else { withBytes(r) { out.append(bytes: $0) } }
        }
        return out
    }
}
