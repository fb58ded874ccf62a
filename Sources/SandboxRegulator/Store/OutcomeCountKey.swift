/// A row of `outcome_counts`: one figure on one day in one division.
struct OutcomeCountKey: Hashable, Comparable, Sendable {
    /// The Asia/Shanghai day, `YYYY-MM-DD` (text, so a period is a range of the primary key).
    var day: String
    /// USCC characters 3–8 (the registration division a region filter is a prefix of); '' for
    /// records without a USCC (natural persons), which count in the city's total only.
    var division: String
    var figure: OutcomeFigure

    /// The primary key's order, the order both engines write them in: two nodes' batches
    /// counting the same days take their row locks in one order and never deadlock.
    static func < (a: OutcomeCountKey, b: OutcomeCountKey) -> Bool {
        (a.day, a.division, a.figure.rawValue) < (b.day, b.division, b.figure.rawValue)
    }
}
