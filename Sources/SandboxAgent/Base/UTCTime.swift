import SandboxCore

/// Unix seconds as UTC calendar text: the day and time of day, written once for outbox names
/// (`YYYYMMDDTHHMMSSZ`) and for RFC 3339 stamps in feeds, logs and the audit trail.
enum UTCTime {
    /// The UTC day and the seconds since its midnight (floor division: before 1970 works too).
    static func split(_ unixTime: Int64) -> (day: CivilDate, hour: Int64, minute: Int64, second: Int64) {
        let days = unixTime >= 0 ? unixTime / 86_400 : (unixTime - 86_399) / 86_400
        let seconds = unixTime - days * 86_400
        return (CivilDate(dayNumber: Int(days)), seconds / 3600, seconds / 60 % 60, seconds % 60)
    }

    /// `2026-11-20T08:00:00Z`.
    static func rfc3339(_ unixTime: Int64) -> String {
        let t = split(unixTime)
        return t.day.description + "T" + two(t.hour) + ":" + two(t.minute) + ":" + two(t.second) + "Z"
    }

    /// `20261120T080000Z`.
    static func compact(_ unixTime: Int64) -> String {
        let t = split(unixTime)
        return String(t.day.year).leftPadded(4) + two(Int64(t.day.month)) + two(Int64(t.day.day)) + "T"
            + two(t.hour) + two(t.minute) + two(t.second) + "Z"
    }

    private static func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
