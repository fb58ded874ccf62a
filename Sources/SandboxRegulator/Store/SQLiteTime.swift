import SandboxCore
import SandboxWire

/// An agent's time as SQLite's `julianday()` reads it (date.c of SQLite 3.40), so the outcome
/// counts the intake keeps put each record on the day the scan they replaced put it
/// (`julianday(json_extract(data, '$.opened_at'))` compared with the period's midnights). That is
/// not DateField's reading, which takes a time without a zone as Asia/Shanghai and accepts
/// `2026/7/1`; here, as in SQLite:
/// - `YYYY-MM-DD` (a leading `-` for years BC), then optionally any spaces or `T`s and
///   `HH:MM[:SS[.fraction]]`, then optionally spaces, a zone `+HH:MM` / `-HH:MM` (hours up to 14)
///   or `Z`, and spaces; a bare `HH:MM…` is on 2000-01-01;
/// - a time without a zone is UTC; hour 24 is allowed; a day past the month's end runs on into
///   the next month (02-30 is 03-02); a fraction rounds to the millisecond;
/// - a number — a JSON number, or text that is one (spaces around it allowed) — is a Julian day.
/// Not mirrored: `now` (the day of the query, which a kept count cannot follow), and the last bit
/// of a number written with more than 15 digits (SQLite converts it its own way; Swift's is
/// correctly rounded): an agent writes neither (docs/api/openapi.yaml: RFC 3339 text).
/// SQLiteTimeTests checks this against SQLite's own `julianday` and `date`.
enum SQLiteTime {
    /// SQLite's `julianday(value) × 86,400,000` (its `iJD`, in milliseconds), or nil where
    /// `julianday` answers NULL.
    static func julianMilliseconds(_ value: JSONValue?) -> Int64? {
        switch value {
        case .string(let text)?: return julianMilliseconds(text)
        case .int(let n)?: return fromDayNumber(Double(n))
        case .double(let r)?: return fromDayNumber(r)
        // A boolean is Julian day 0 or 1 to SQLite (4713 BC): in no period.
        default: return nil
        }
    }

    /// The Asia/Shanghai day (`YYYY-MM-DD`) of that instant, the day the scan's comparison with
    /// `julianday('…T00:00:00+08:00')` bounds put it on; nil when `julianday` answers NULL or the
    /// day is outside the years 1–9999 a period can have.
    static func shanghaiDay(_ value: JSONValue?) -> String? {
        guard let ms = julianMilliseconds(value) else { return nil }
        let shanghai = ms - unixEpochJulianMilliseconds + 8 * 3_600_000
        let dayNumber = shanghai >= 0 ? shanghai / 86_400_000 : (shanghai - 86_399_999) / 86_400_000
        let day = CivilDate(dayNumber: Int(dayNumber))
        guard (1...9999).contains(day.year) else { return nil }
        return day.description
    }

    /// 1970-01-01T00:00Z as a Julian day (2440587.5), in milliseconds.
    static let unixEpochJulianMilliseconds: Int64 = 210_866_760_000_000
    /// The last instant SQLite takes as valid: 9999-12-31 23:59:59.999.
    private static let maxJulianMilliseconds: Int64 = 464_269_060_799_999

    /// setRawDateNumber: a number in [0, 5373484.5) is a Julian day.
    private static func fromDayNumber(_ r: Double) -> Int64? {
        guard r >= 0, r < 5_373_484.5 else { return nil }
        return Int64(r * 86_400_000.0 + 0.5)
    }

    /// parseDateOrTime without `now`, then computeJD and validJulianDay.
    static func julianMilliseconds(_ text: String) -> Int64? {
        // SQLite reads the text as a C string: it ends at a NUL, and the NUL ends every scan here.
        var z = Array(text.utf8.prefix { $0 != 0 })
        z.append(0)
        var date = (year: 2000, month: 1, day: 1)
        var time: Clock?
        if let (ymd, t) = yearMonthDay(z) {
            date = ymd
            time = t
        } else if let t = clock(z, at: 0) {
            time = t
        } else if let r = number(z) {
            return fromDayNumber(r)
        } else {
            return nil
        }
        guard var ms = julianDayMilliseconds(date) else { return nil }
        if let time {
            ms += Int64(time.hour * 3_600_000 + time.minute * 60_000) + Int64(time.seconds * 1000 + 0.5)
            ms -= Int64(time.zoneMinutes * 60_000)
        }
        guard ms >= 0, ms <= maxJulianMilliseconds else { return nil }
        return ms
    }

    /// A time of day as parseHhMmSs leaves it: `seconds` with its fraction, the zone in minutes.
    private struct Clock {
        var hour: Int
        var minute: Int
        var seconds: Double
        var zoneMinutes: Int
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    /// sqlite3Isspace: space, \t, \n, \v, \f, \r.
    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }

    /// getDigits for one field: exactly `count` digits at `i`, within min…max.
    private static func digits(_ z: [UInt8], _ i: Int, _ count: Int, _ min: Int, _ max: Int) -> Int? {
        var value = 0
        for j in i..<(i + count) {
            guard isDigit(z[j]) else { return nil }
            value = value * 10 + Int(z[j] - 0x30)
        }
        return value >= min && value <= max ? value : nil
    }

    /// parseYyyyMmDd: the date, then a time or nothing.
    private static func yearMonthDay(_ z: [UInt8]) -> ((year: Int, month: Int, day: Int), Clock?)? {
        var i = 0
        let negative = z[0] == UInt8(ascii: "-")
        if negative { i = 1 }
        guard let y = digits(z, i, 4, 0, 14712), z[i + 4] == UInt8(ascii: "-"),
              let m = digits(z, i + 5, 2, 1, 12), z[i + 7] == UInt8(ascii: "-"),
              let d = digits(z, i + 8, 2, 1, 31) else { return nil }
        i += 10
        while isSpace(z[i]) || z[i] == UInt8(ascii: "T") { i += 1 }
        let time = clock(z, at: i)
        if time == nil && z[i] != 0 { return nil }
        return ((negative ? -y : y, m, d), time)
    }

    /// parseHhMmSs with parseTimezone: `HH:MM[:SS[.fraction]]`, then a zone or nothing.
    private static func clock(_ z: [UInt8], at start: Int) -> Clock? {
        var i = start
        guard let h = digits(z, i, 2, 0, 24), z[i + 2] == UInt8(ascii: ":"), let m = digits(z, i + 3, 2, 0, 59) else { return nil }
        i += 5
        var seconds = 0.0
        if z[i] == UInt8(ascii: ":") {
            i += 1
            guard let s = digits(z, i, 2, 0, 59) else { return nil }
            i += 2
            var fraction = 0.0
            if z[i] == UInt8(ascii: "."), isDigit(z[i + 1]) {
                // As SQLite sums it: digit by digit, then divided once.
                var scale = 1.0
                i += 1
                while isDigit(z[i]) {
                    fraction = fraction * 10.0 + Double(z[i] - 0x30)
                    scale *= 10.0
                    i += 1
                }
                fraction /= scale
            }
            seconds = Double(s) + fraction
        }
        guard let zone = zoneMinutes(z, at: i) else { return nil }
        return Clock(hour: h, minute: m, seconds: seconds, zoneMinutes: zone)
    }

    /// parseTimezone: minutes east of UTC, 0 for none or `Z`; nil when anything else follows.
    private static func zoneMinutes(_ z: [UInt8], at start: Int) -> Int? {
        var i = start
        while isSpace(z[i]) { i += 1 }
        var zone = 0
        switch z[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = z[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let hours = digits(z, i, 2, 0, 14), z[i + 2] == UInt8(ascii: ":"),
                  let minutes = digits(z, i + 3, 2, 0, 59) else { return nil }
            i += 5
            zone = sign * (minutes + hours * 60)
        default:
            return z[i] == 0 ? 0 : nil
        }
        while isSpace(z[i]) { i += 1 }
        return z[i] == 0 ? zone : nil
    }

    /// sqlite3AtoF's answer when the whole text is a number: spaces, `[+-]digits[.digits]` with at
    /// least one digit, `[eE][+-]digits`, spaces.
    private static func number(_ z: [UInt8]) -> Double? {
        var i = 0
        while isSpace(z[i]) { i += 1 }
        let start = i
        if z[i] == UInt8(ascii: "+") || z[i] == UInt8(ascii: "-") { i += 1 }
        var digitCount = 0
        while isDigit(z[i]) { i += 1; digitCount += 1 }
        if z[i] == UInt8(ascii: ".") {
            i += 1
            while isDigit(z[i]) { i += 1; digitCount += 1 }
        }
        guard digitCount > 0 else { return nil }
        if z[i] == UInt8(ascii: "e") || z[i] == UInt8(ascii: "E") {
            i += 1
            if z[i] == UInt8(ascii: "+") || z[i] == UInt8(ascii: "-") { i += 1 }
            var exponentDigits = 0
            while isDigit(z[i]) { i += 1; exponentDigits += 1 }
            guard exponentDigits > 0 else { return nil }
        }
        let end = i
        while isSpace(z[i]) { i += 1 }
        guard z[i] == 0 else { return nil }
        return Double(String(decoding: z[start..<end], as: UTF8.self))
    }

    /// computeJD's date part (its integer arithmetic, truncating as C does), at midnight UTC.
    private static func julianDayMilliseconds(_ date: (year: Int, month: Int, day: Int)) -> Int64? {
        var y = date.year, m = date.month
        guard y >= -4713, y <= 9999 else { return nil }
        if m <= 2 { y -= 1; m += 12 }
        let a = y / 100
        let b = 2 - a + a / 4
        let x1 = 36525 * (y + 4716) / 100
        let x2 = 306_001 * (m + 1) / 10000
        return Int64((Double(x1 + x2 + date.day + b) - 1524.5) * 86_400_000)
    }
}
