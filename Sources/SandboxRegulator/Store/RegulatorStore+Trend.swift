import SandboxCore
import SandboxStorage

/// Per period of a trend: cases opened, rectified, and leads the bureaus closed.
public struct OutcomeTrendPoint: Sendable, Equatable {
    public var leads = 0
    public var rectified = 0
    public var leadsClosed = 0
}

extension StoreSession {
    /// The dashboard's trend: leads opened, rectified and closed in each of `periods` (days in
    /// Asia/Shanghai, inclusive), in a region or everywhere — the same counts as the outcome
    /// figures of each period, from one read of the region's cases and one of its closures
    /// rather than a full report per period.
    public func outcomeTrend(_ periods: [(from: CivilDate, to: CivilDate)], region: String?) throws -> [OutcomeTrendPoint] {
        var points = [OutcomeTrendPoint](repeating: OutcomeTrendPoint(), count: periods.count)
        guard let first = periods.first?.from, let last = periods.last?.to else { return points }
        func period(of day: CivilDate) -> Int? {
            guard day >= first, day <= last else { return nil }
            return periods.firstIndex { day >= $0.from && day <= $0.to }
        }
        func day(_ text: String?) -> CivilDate? {
            guard let text, let instant = try? DateField.dateTime(text) else { return nil }
            return CivilDate(unixTime: instant)
        }
        let inRegion = "(?1 IS NULL OR substr(uscc, 3, length(?1)) = ?1)"
        let cases = try database.prepare("""
            SELECT json_extract(data, '$.opened_at'), json_extract(data, '$.rectified_at') FROM records
            WHERE type = 'case' AND \(inRegion)
            """)
        try cases.bind(1, region)
        while try cases.step() {
            if let p = day(cases.string(0)).flatMap({ period(of: $0) }) { points[p].leads += 1 }
            if let p = day(cases.string(1)).flatMap({ period(of: $0) }) { points[p].rectified += 1 }
        }
        cases.reset()
        let start = PolicyCalendar.startOf(day: first.dayNumber), end = PolicyCalendar.startOf(day: last.dayNumber + 1)
        let closed = try database.prepare("""
            SELECT at FROM lead_steps WHERE action = 'close' AND \(inRegion) AND at >= ?2 AND at < ?3
            """)
        try closed.bind(all: region, start, end)
        while try closed.step() {
            if let p = period(of: CivilDate(unixTime: closed.int64(0))) { points[p].leadsClosed += 1 }
        }
        closed.reset()
        return points
    }
}
