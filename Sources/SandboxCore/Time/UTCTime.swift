/// Unix seconds as UTC calendar text and back, once for the house: outbox names
/// (`YYYYMMDDTHHMMSSZ`), and RFC 3339 stamps in the agent's feeds, logs and audit trail and in
/// every answer of the regulator (which had its own copy, `Timestamp.iso`, and parsed with
/// Foundation's `ISO8601DateFormatter`).
public enum UTCTime {
    /// The UTC day and the time of day (floor division: before 1970 works too).
    public static func split(_ unixTime: Int64) -> (day: CivilDate, hour: Int64, minute: Int64, second: Int64) {
        let days = unixTime >= 0 ? unixTime / 86_400 : (unixTime - 86_399) / 86_400
        let seconds = unixTime - days * 86_400
        return (CivilDate(dayNumber: Int(days)), seconds / 3600, seconds / 60 % 60, seconds % 60)
    }

    /// `2026-11-20T08:00:00Z`. Written as bytes: the audit trail stamps every event with it, a
    /// million in a first pass (issue 16: the concatenated String was 3 % of that pass's CPU).
    public static func rfc3339(_ unixTime: Int64) -> String {
        let t = split(unixTime)
        guard (0...9999).contains(t.day.year) else {
            return t.day.description + "T" + two(t.hour) + ":" + two(t.minute) + ":" + two(t.second) + "Z"
        }
        return String(unsafeUninitializedCapacity: 20) { buffer in
            var p = buffer.baseAddress!
            CivilDate.writeISO(year: t.day.year, month: t.day.month, day: t.day.day, to: &p)
            p[0] = 0x54
            p[1] = UInt8(0x30 + t.hour / 10); p[2] = UInt8(0x30 + t.hour % 10); p[3] = 0x3A
            p[4] = UInt8(0x30 + t.minute / 10); p[5] = UInt8(0x30 + t.minute % 10); p[6] = 0x3A
            p[7] = UInt8(0x30 + t.second / 10); p[8] = UInt8(0x30 + t.second % 10); p[9] = 0x5A
            return 20
        }
    }

    /// `20261120T080000Z`.
    public static func compact(_ unixTime: Int64) -> String {
        let t = split(unixTime)
        let year = String(t.day.year)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + two(Int64(t.day.month)) + two(Int64(t.day.day))
            + "T" + two(t.hour) + two(t.minute) + two(t.second) + "Z"
    }

    /// RFC 3339 (`2026-07-01T08:30:00Z`, `2026-07-01T16:30:00+08:00`; a fraction of a second is
    /// dropped) or a bare day `2026-07-01` (its UTC midnight); nil for anything else, a day or time
    /// that does not exist included.
    public static func parse(_ text: String) -> Int64? {
        return text.withUTF8Bytes { b -> Int64? in
            if let day = CivilDate(isoBytes: b) { return Int64(day.dayNumber) * 86_400 }
            guard b.count >= 20, b[10] == 0x54 || b[10] == 0x74, b[13] == 0x3A, b[16] == 0x3A,
                  let day = CivilDate(isoBytes: UnsafeBufferPointer(rebasing: b[0..<10])),
                  let hour = digits(b, 11), let minute = digits(b, 14), let second = digits(b, 17),
                  hour <= 23, minute <= 59, second <= 59 else { return nil }
            var k = 19
            if b[k] == 0x2E {  // .fraction
                k += 1
                let start = k
                while k < b.count, b[k] >= 0x30, b[k] <= 0x39 { k += 1 }
                guard k > start, k < b.count else { return nil }
            }
            let offset: Int64
            switch b[k] {
            case 0x5A, 0x7A:  // Z
                guard k + 1 == b.count else { return nil }
                offset = 0
            case 0x2B, 0x2D:  // +HH:MM, -HH:MM
                guard k + 6 == b.count, b[k + 3] == 0x3A, let h = digits(b, k + 1), let m = digits(b, k + 4),
                      h <= 23, m <= 59 else { return nil }
                offset = (b[k] == 0x2D ? -1 : 1) * (h * 3600 + m * 60)
            default:
                return nil
            }
            return Int64(day.dayNumber) * 86_400 + hour * 3600 + minute * 60 + second - offset
        }
    }

    /// Two ASCII digits at `k`.
    private static func digits(_ b: UnsafeBufferPointer<UInt8>, _ k: Int) -> Int64? {
        guard k + 1 < b.count else { return nil }
        let hi = Int64(b[k]) - 0x30, lo = Int64(b[k + 1]) - 0x30
        guard (0...9).contains(hi), (0...9).contains(lo) else { return nil }
        return hi * 10 + lo
    }

    private static func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
