import SandboxCore
import SandboxStorage

// The kept outcome counts (`outcome_counts`, FeedIntake) as the report and the trend read them.
extension StoreSession {
    /// The counts of the days from…to (inclusive) in `region` (2, 4 or 6 digits: a prefix of the
    /// division, as the report's region is a prefix of USCC characters 3–8) or everywhere, per
    /// figure, and per day too when `byDay`. A period is one range of the primary key; a year of
    /// a city is a few thousand rows (days × divisions × figures), whatever the records.
    func outcomeCounts(from: CivilDate, to: CivilDate, region: String?, byDay: Bool) throws
        -> [(day: String?, figure: OutcomeFigure, count: Int)] {
        let s = try database.prepare("""
            SELECT \(byDay ? "day" : "NULL"), figure, coalesce(sum(records), 0) FROM outcome_counts
            WHERE day >= ?2 AND day <= ?3
              AND (?1 IS NULL OR (division <> '' AND substr(division, 1, length(?1)) = ?1))
            GROUP BY \(byDay ? "day, " : "")figure
            """)
        defer { s.reset() }
        try s.bind(all: region, from.description, to.description)
        var out: [(day: String?, figure: OutcomeFigure, count: Int)] = []
        while try s.step() {
            guard let figure = s.string(1).flatMap(OutcomeFigure.init(rawValue:)) else { continue }
            out.append((day: s.string(0), figure: figure, count: s.int(2)))
        }
        return out
    }
}
