import SandboxCore

/// Outbox file names: `KIND-SEQUENCE-YYYYMMDDTHHMMSSZ.jsonl`.
///
/// The sequence comes first: it grows by one for every outbox file, across kinds, in commit
/// order, so names of one kind sort in the order they were made and a gap means a missing file.
/// The time (UTC) is for people; it is not trusted for order, because clocks step back (NTP, or a
/// drill's `--now` restarting at the same day).
public enum OutboxName {
    public static func make(kind: String, unixTime: Int64, sequence: Int64, suffix: String = ".jsonl") -> String {
        let number = String(sequence)
        return "\(kind)-\(String(repeating: "0", count: max(0, 8 - number.count)) + number)-\(UTCTime.compact(unixTime))\(suffix)"
    }
}
