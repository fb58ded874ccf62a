/// SplitMix64 (Steele, Lea & Flood 2014): the generator's own PRNG, so a seed gives the same bytes
/// on every machine and Swift release (the standard library's generator promises no such thing).
///
/// Each merchant gets its own stream, derived from (seed, salt, index), so any merchant can be
/// rebuilt alone: the three files and any row order are written without keeping rows in memory.
struct SplitMix64 {
    var state: UInt64

    init(state: UInt64) { self.state = state }

    /// An independent stream for one item: the index and salt go through the finalizer first, so
    /// neighbouring indices do not give neighbouring (correlated) states.
    init(seed: UInt64, salt: UInt64, index: Int) {
        state = SplitMix64.mix(seed ^ SplitMix64.mix(salt &+ UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15))
    }

    /// The SplitMix64 finalizer (a bijection on UInt64).
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// Uniform in 0..<bound (Lemire's multiply-high; the bias below 2^-40 for our bounds is irrelevant here).
    @inline(__always)
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// Uniform in the closed range.
    @inline(__always)
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `p`.
    @inline(__always)
    mutating func chance(_ p: Double) -> Bool {
        Double(next() >> 11) * 0x1p-53 < p
    }

    /// An index drawn from cumulative weights (the last element is the total).
    @inline(__always)
    mutating func weighted(_ cumulative: [Int]) -> Int {
        let r = below(cumulative[cumulative.count - 1])
        var i = 0
        while cumulative[i] <= r { i += 1 }
        return i
    }
}
