import SandboxCore

/// Outbox file names: `KIND-SEQUENCE-YYYYMMDDTHHMMSSZ.jsonl`.
///
/// The sequence comes first: it grows by one for every outbox file, across kinds, in commit
/// order, so names of one kind sort in the order they were made and a gap means a missing file.
/// The time (UTC) is for people; it is not trusted for order, because clocks step back (NTP, or a
/// drill's `--now` restarting at the same day).
public enum OutboxName {
    public static func make(kind: String, unixTime: Int64, sequence: Int64, suffix: String = ".jsonl") -> String {
        let days = unixTime >= 0 ? unixTime / 86_400 : (unixTime - 86_399) / 86_400
        let day = CivilDate(dayNumber: Int(days))
        let seconds = unixTime - days * 86_400
        func two(_ n: Int64) -> String { String(n).leftPadded(2) }
        let stamp = String(day.year).leftPadded(4) + two(Int64(day.month)) + two(Int64(day.day)) + "T"
            + two(seconds / 3600) + two(seconds / 60 % 60) + two(seconds % 60) + "Z"
        return "\(kind)-\(String(sequence).leftPadded(8))-\(stamp)\(suffix)"
    }
}
