/// Inbox files that could not be claimed (gone since the listing, or not ours to move), and when
/// to try each again: not before the next rescan, so a file that cannot be moved costs no busy
/// loop and no log line every half second.
struct ClaimBackoff {
    private var until: [String: Int64] = [:]

    mutating func hold(_ name: String, until time: Int64) {
        until[name] = time
    }

    /// Whether `name` still waits at `now`; forgotten once its time has come.
    mutating func isHolding(_ name: String, now: Int64) -> Bool {
        guard let time = until[name] else { return false }
        if now >= time { until[name] = nil; return false }
        return true
    }
}
