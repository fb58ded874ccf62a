import SandboxCore
import SandboxPolicy
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
    /// figures of each period, from one read of the kept counts per day (`outcome_counts`) and
    /// one of the region's closures rather than a full report per period.
    public func outcomeTrend(_ periods: [(from: CivilDate, to: CivilDate)], region: String?) throws -> [OutcomeTrendPoint] {
        var points = [OutcomeTrendPoint](repeating: OutcomeTrendPoint(), count: periods.count)
        guard let first = periods.first?.from, let last = periods.last?.to else { return points }
        func period(of day: CivilDate) -> Int? {
            guard day >= first, day <= last else { return nil }
            return periods.firstIndex { day >= $0.from && day <= $0.to }
        }
        // The kept days are YYYY-MM-DD text, which sorts as the days do.
        let bounds = periods.map { (from: $0.from.description, to: $0.to.description) }
        for c in try outcomeCounts(from: first, to: last, region: region, byDay: true) {
            guard let day = c.day, let p = bounds.firstIndex(where: { day >= $0.from && day <= $0.to }) else { continue }
            switch c.figure {
            case .leads: points[p].leads += c.count
            case .rectified: points[p].rectified += c.count
            default: break
            }
        }
        let inRegion = "(?1 IS NULL OR substr(uscc, 3, length(?1)) = ?1)"
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
