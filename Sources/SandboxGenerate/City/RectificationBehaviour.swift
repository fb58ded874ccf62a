/// How long a merchant (or the platform) takes to put a problem right once it is visible: most
/// quickly, some slowly, a few never. Days are counted from the day the problem first shows in an
/// export, which is the day the agent opens its case when the platform exports daily; the
/// generator knows no rule pack, so "quick" is simply shorter than the pack's shortest deadline
/// (10 days) and "slow" runs past it (docs/generator.md, *The city*).
public struct RectificationBehaviour: Sendable, Equatable {
    public var quickShare: Double
    public var quickDays: ClosedRange<Int>
    public var slowShare: Double
    public var slowDays: ClosedRange<Int>

    public init(quickShare: Double, quickDays: ClosedRange<Int>, slowShare: Double, slowDays: ClosedRange<Int>) {
        precondition(quickShare >= 0 && slowShare >= 0 && quickShare + slowShare <= 1 && quickDays.lowerBound >= 1)
        self.quickShare = quickShare
        self.quickDays = quickDays
        self.slowShare = slowShare
        self.slowDays = slowDays
    }

    /// Days until the problem is put right, or nil: never (within the simulated year).
    func delay(_ rng: inout SplitMix64) -> Int? {
        let roll = Double(rng.next() >> 11) * 0x1p-53
        if roll < quickShare { return rng.int(in: quickDays) }
        if roll < quickShare + slowShare { return rng.int(in: slowDays) }
        return nil
    }
}
