/// A calendar day (no time, no zone): the unit of every deadline and validity period.
///
/// Dates in exports are Asia/Shanghai days; keeping them as civil dates avoids time-zone
/// arithmetic in the domain. `dayNumber` counts days since 1970-01-01 (proleptic Gregorian).
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// nil when the day does not exist (2026-02-30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    public init(dayNumber: Int) {
        // Howard Hinnant's civil_from_days.
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    /// Calendar months later, clamped to the month's last day (2026-08-31 + 6 months = 2027-02-28).
    public func adding(months: Int) -> CivilDate {
        let total = year * 12 + (month - 1) + months
        let y = total / 12, m = total % 12 + 1
        return CivilDate(year: y, month: m, day: min(day, CivilDate.daysIn(month: m, year: y)))!
    }

    public func days(until other: CivilDate) -> Int { other.dayNumber - dayNumber }

    /// 00:00 Asia/Shanghai of this day, as Unix seconds: where `init(unixTime:)` turns to this day.
    public var shanghaiMidnight: Int64 { Int64(dayNumber) * 86_400 - Self.shanghaiOffset }

    /// Day order, told by the fields: every date is a real day (each initializer checks it), so
    /// year, month and day in turn order dates as their day numbers do, without working out two
    /// (the verifier compares a merchant's licence, registry and review dates a few dozen times:
    /// `dayNumber` was 2.6 % of its instructions in an ingest, issue 16, session 46).
    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        a.year != b.year ? a.year < b.year : a.month != b.month ? a.month < b.month : a.day < b.day
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        guard (0...9999).contains(year) else {
            func pad(_ v: Int, _ w: Int) -> String {
                let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s
            }
            return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
        }
        return String(unsafeUninitializedCapacity: 10) { buffer in
            var out = buffer.baseAddress!
            Self.writeISO(year: year, month: month, day: day, to: &out)
            return 10
        }
    }

    /// `YYYY-MM-DD` appended to `out`, without making a String (the policy's lines and audit write
    /// a day or a time into every one of a first pass's million items, issue 16).
    public func appendISO(to out: inout [UInt8]) {
        guard (0...9999).contains(year) else { out.append(contentsOf: description.utf8); return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 10) { buffer in
            var p = buffer.baseAddress!
            Self.writeISO(year: year, month: month, day: day, to: &p)
            out.append(contentsOf: buffer)
        }
    }

    /// Ten ASCII bytes at `p` (a year of four digits), and `p` moved past them.
    static func writeISO(year: Int, month: Int, day: Int, to p: inout UnsafeMutablePointer<UInt8>) {
        p[0] = UInt8(0x30 + year / 1000); p[1] = UInt8(0x30 + year / 100 % 10)
        p[2] = UInt8(0x30 + year / 10 % 10); p[3] = UInt8(0x30 + year % 10)
        p[4] = 0x2D
        p[5] = UInt8(0x30 + month / 10); p[6] = UInt8(0x30 + month % 10)
        p[7] = 0x2D
        p[8] = UInt8(0x30 + day / 10); p[9] = UInt8(0x30 + day % 10)
        p += 10
    }

    /// Asia/Shanghai's offset from UTC (no DST since 1991): the zone of the days deadlines and
    /// validity are judged by, and of an export's times written without a zone.
    public static let shanghaiOffset: Int64 = 8 * 3600

    /// The Asia/Shanghai day of a Unix time.
    public init(unixTime: Int64) {
        let local = unixTime + Self.shanghaiOffset
        self.init(dayNumber: Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400))
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, let d = CivilDate(year: parts[0], month: parts[1], day: parts[2]) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "expected YYYY-MM-DD, got \(text)"))
        }
        self = d
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

extension CivilDate {
    /// `YYYY-MM-DD` exactly, from UTF-8 bytes (SQLite's buffers, without making a String).
    public init?(isoBytes b: UnsafeBufferPointer<UInt8>) {
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D else { return nil }
        func number(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r { let d = Int(b[i]) - 0x30; guard (0...9).contains(d) else { return nil }; v = v * 10 + d }
            return v
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10),
              let date = CivilDate(year: y, month: m, day: d) else { return nil }
        self = date
    }

    /// `YYYY-MM-DD` exactly.
    public init?(isoText text: String) {
        guard let date = text.withUTF8Bytes({ CivilDate(isoBytes: $0) }) else { return nil }
        self = date
    }
}
