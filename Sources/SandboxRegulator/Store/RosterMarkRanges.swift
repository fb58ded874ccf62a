/// The ranges of the marks' index (`roster_dirty`, keyed by USCC) that hold a region's
/// enterprises. USCC characters 3–8 are the division, after the registration authority and the
/// kind of organisation (91 a company, 92 an individual business, …), so a region's marks are
/// one range of the index per two-character start the marks hold: a district's marks are read
/// without stepping over the country's. Bounds compare bytewise, the order SQLite keeps and
/// PostgreSQL keeps under the C locale docs/operations.md asks for.
struct RosterMarkRange: Equatable {
    /// The first USCC of the range.
    let from: String
    /// The first text past the range; nil: the range runs to the end of the index.
    let before: String?

    /// Every mark.
    static let all = RosterMarkRange(from: "", before: nil)

    /// The range of `region`'s USCCs that start with `start`.
    init(start: String, region: RegionDivisions) {
        from = start + region.region
        before = region.before.map { start + $0 } ?? Self.past(start)
    }

    init(from: String, before: String?) {
        self.from = from
        self.before = before
    }

    /// The two characters a USCC's division follows.
    static func start(of uscc: String) -> String {
        String(String.UnicodeScalarView(uscc.unicodeScalars.prefix(2)))
    }

    /// The first text past every text that starts with `prefix`: its last character moved on by
    /// one (bytewise order is the order of the characters); nil when no text is past them.
    static func past(_ prefix: String) -> String? {
        var scalars = Array(prefix.unicodeScalars)
        while let last = scalars.popLast() {
            var value = last.value + 1
            if (0xD800...0xDFFF).contains(value) { value = 0xE000 }
            if let next = Unicode.Scalar(value) {
                return String(String.UnicodeScalarView(scalars + [next]))
            }
        }
        return nil
    }
}
