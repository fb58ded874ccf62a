/// The divisions a report's region covers (2, 4 or 6 digits: a prefix of the division, USCC
/// characters 3–8) as a condition an index on the division can answer: the range from the region
/// to the region with its last digit moved on (5101 → 5102, 5109 → 511, 5199 → 52; none for
/// 99…), and the prefix itself checked on the rows the range reads. `substr(division, 1,
/// length(region)) = region` alone is the same rows but reads every row. The bounds are digits
/// only, so both engines order them alike whatever PostgreSQL's collation.
struct RegionDivisions {
    let region: String
    /// The first text past every division with the prefix; nil when the prefix is all nines.
    let before: String?

    init(_ region: String) {
        self.region = region
        var digits = Array(region.utf8)
        while let last = digits.last, last == UInt8(ascii: "9") { digits.removeLast() }
        if let last = digits.popLast() {
            before = String(decoding: digits + [last + 1], as: UTF8.self)
        } else {
            before = nil
        }
    }

    /// The condition on `division` (an SQL expression) with the region bound at `?first` and the
    /// bound after it at `?(first + 1)`; bind with `bind`.
    func condition(_ division: String, first: Int) -> String {
        let prefix = "substr(\(division), 1, \(region.utf8.count)) = ?\(first)"
        return before == nil
            ? "\(division) >= ?\(first) AND \(prefix)"
            : "\(division) >= ?\(first) AND \(division) < ?\(first + 1) AND \(prefix)"
    }

    /// The values `condition` names, in order.
    var values: [String] { [region] + (before.map { [$0] } ?? []) }
}
