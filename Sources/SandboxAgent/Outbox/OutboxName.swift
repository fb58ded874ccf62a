/// Outbox file names: `KIND-YYYYMMDDTHHMMSSZ-SEQUENCE.jsonl`, sortable by time and sequence, so a
/// platform processes them in order and sees a gap in the sequence as a missing file.
public enum OutboxName {
    public static func make(kind: String, unixTime: Int64, sequence: Int64, suffix: String = ".jsonl") -> String {
        let day = CivilDateUTC(unixTime: unixTime)
        let seconds = ((unixTime % 86_400) + 86_400) % 86_400
        func two(_ n: Int64) -> String { String(n).leftPadded(2) }
        let stamp = String(day.year).leftPadded(4) + two(Int64(day.month)) + two(Int64(day.day)) + "T"
            + two(seconds / 3600) + two(seconds / 60 % 60) + two(seconds % 60) + "Z"
        return "\(kind)-\(stamp)-\(String(sequence).leftPadded(8))\(suffix)"
    }
}

import SandboxCore

/// The UTC calendar day of a Unix time (file names use UTC, whatever the zone of the data).
private func CivilDateUTC(unixTime: Int64) -> CivilDate {
    CivilDate(dayNumber: Int(unixTime >= 0 ? unixTime / 86_400 : (unixTime - 86_399) / 86_400))
}
