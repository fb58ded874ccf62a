/// A fixed-size bit set, 64 rows per word: the form every boolean column takes, so `and`, `or`
/// and `not` over 469,000 merchants are ~7,300 word operations each.
public struct Bits: Hashable, Sendable {
    public private(set) var words: [UInt64]
    public let count: Int

    public init(count: Int, filled: Bool = false) {
        self.count = count
        words = [UInt64](repeating: filled ? ~0 : 0, count: (count + 63) / 64)
        if filled { clearTail() }
    }

    init(count: Int, words: [UInt64]) {
        self.count = count; self.words = words
        clearTail()
    }

    private mutating func clearTail() {
        let extra = words.count * 64 - count
        if extra > 0, !words.isEmpty { words[words.count - 1] &= ~0 >> UInt64(extra) }
    }

    @inline(__always) public subscript(i: Int) -> Bool {
        get { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }
        set {
            if newValue { words[i >> 6] |= 1 << UInt64(i & 63) } else { words[i >> 6] &= ~(1 << UInt64(i & 63)) }
        }
    }

    public var nonzeroCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Indexes of the set bits, ascending.
    public var indexes: [Int] {
        var out: [Int] = []
        for (w, word) in words.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                out.append(w * 64 + bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
        return out
    }

    static func combine(_ a: Bits, _ b: Bits, _ op: (UInt64, UInt64) -> UInt64) -> Bits {
        var words = [UInt64](repeating: 0, count: a.words.count)
        a.words.withUnsafeBufferPointer { pa in
            b.words.withUnsafeBufferPointer { pb in
                for i in 0..<words.count { words[i] = op(pa[i], pb[i]) }
            }
        }
        return Bits(count: a.count, words: words)
    }

    public static func & (a: Bits, b: Bits) -> Bits { combine(a, b, &) }
    public static func | (a: Bits, b: Bits) -> Bits { combine(a, b, |) }
    /// a & ~b
    public func subtracting(_ b: Bits) -> Bits { Bits.combine(self, b) { $0 & ~$1 } }
    public var inverted: Bits { Bits(count: count, words: words.map { ~$0 }) }
}
