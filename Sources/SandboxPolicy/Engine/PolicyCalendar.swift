import SandboxCore

/// Day counting for deadlines, waits and receipts (民法典 art. 201–203, docs/policy.md §6.2):
/// the day of issue is not counted, a period ends at 24:00 of its last day, and a last day that
/// is a listed non-working day moves to the next day not listed. Every due instant is therefore
/// 00:00 Asia/Shanghai of some day.
public struct PolicyCalendar: Sendable {
    public var nonWorkingDays: Set<Int>

    public init(nonWorkingDays: Set<Int> = []) { self.nonWorkingDays = nonWorkingDays }

    /// The last day of a period of `days` counted from `issueDay` (day numbers). `days = 0`
    /// (立即) makes the issue day itself the last day; it is not moved.
    public func lastDay(from issueDay: Int, days: Int) -> Int {
        var d = issueDay + days
        guard days > 0 else { return d }
        while nonWorkingDays.contains(d) { d += 1 }
        return d
    }

    /// 00:00 Asia/Shanghai of a day, as Unix seconds.
    public static func startOf(day: Int) -> Int64 { Int64(day) * 86_400 - CivilDate.shanghaiOffset }

    /// The instant a period whose last day is `day` has run out: 00:00 of the next day.
    public static func end(ofDay day: Int) -> Int64 { startOf(day: day + 1) }

    /// The Asia/Shanghai day of an instant.
    public static func day(of instant: Int64) -> Int { CivilDate(unixTime: instant).dayNumber }
}
