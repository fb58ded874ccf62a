/// Dates and date-times as platforms write them, read over UTF-8 bytes.
///
/// Accepted: `2026-07-01`, `2026/7/1`, `2026-7-1`, `20260701`, and date-times `2026-07-01T10:00`,
/// `2026-07-01 10:00:00`, optional fraction, optional `Z` / `+08:00` / `+0800` / `+08`.
/// Without a zone a time is Asia/Shanghai (UTC+8, no DST since 1991).
public enum DateField {
    public static let accepted = "2026-07-01, 2026/7/1, 20260701 or 2026-07-01T10:00:00[+08:00]"
    static let shanghaiOffset = CivilDate.shanghaiOffset

    /// A parsed value: the civil date as written, the time of day, and the zone when given.
    struct Stamp {
        var date: CivilDate
        var secondOfDay: Int64?
        var offsetSeconds: Int64?

        /// Unix seconds; a bare date is 00:00 and a missing zone is Asia/Shanghai.
        var unixTime: Int64 {
            Int64(date.dayNumber) * 86_400 + (secondOfDay ?? 0) - (offsetSeconds ?? DateField.shanghaiOffset)
        }
    }

    /// The Asia/Shanghai day: a date-time with another zone is converted first.
    public static func date(_ text: String) throws(FieldError) -> CivilDate {
        let s = try stamp(text)
        if s.secondOfDay != nil, let off = s.offsetSeconds, off != shanghaiOffset {
            return CivilDate(unixTime: s.unixTime)
        }
        return s.date
    }

    /// Unix seconds.
    public static func dateTime(_ text: String) throws(FieldError) -> Int64 { try stamp(text).unixTime }

    static func stamp(_ text: String) throws(FieldError) -> Stamp {
        func fail(_ why: String? = nil) -> FieldError {
            FieldError("expected a date like \(accepted), got \(FieldText.quoted(text))" + (why.map { ": \($0)" } ?? ""))
        }
        var result: Stamp?
        var err: FieldError?
        text.withUTF8Bytes { u in
            var i = 0
            // Reads 1…max digits at i.
            func number(max: Int) -> Int? {
                var v = 0, n = 0
                while i < u.count, n < max, u[i] >= 0x30, u[i] <= 0x39 { v = v * 10 + Int(u[i] - 0x30); i += 1; n += 1 }
                return n == 0 ? nil : v
            }
            func exactly(_ n: Int) -> Int? {
                let start = i
                guard let v = number(max: n), i - start == n else { return nil }
                return v
            }
            var y = 0, m = 0, d = 0
            if u.count >= 8, let all = exactly(8), i == 8, i == u.count || u[i] == UInt8(ascii: "T") || u[i] == 0x20 {
                y = all / 10_000; m = all / 100 % 100; d = all % 100
            } else {
                i = 0
                guard let yy = exactly(4), i < u.count, u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "/") else {
                    err = fail(); return
                }
                let sep = u[i]; i += 1
                guard let mm = number(max: 2), i < u.count, u[i] == sep else { err = fail(); return }
                i += 1
                guard let dd = number(max: 2) else { err = fail(); return }
                y = yy; m = mm; d = dd
            }
            guard let date = CivilDate(year: y, month: m, day: d) else {
                err = fail(m < 1 || m > 12 ? "month \(m) does not exist" : "\(y)-\(m) has no day \(d)")
                return
            }
            var stamp = Stamp(date: date)
            if i == u.count { result = stamp; return }
            guard u[i] == UInt8(ascii: "T") || u[i] == 0x20 else { err = fail(); return }
            i += 1
            guard let hh = number(max: 2), i < u.count, u[i] == UInt8(ascii: ":") else { err = fail(); return }
            i += 1
            guard let mi = exactly(2) else { err = fail(); return }
            var ss = 0
            if i < u.count, u[i] == UInt8(ascii: ":") {
                i += 1
                guard let v = exactly(2) else { err = fail(); return }
                ss = v
                if i < u.count, u[i] == UInt8(ascii: ".") || u[i] == UInt8(ascii: ",") {  // fraction: dropped
                    i += 1
                    guard number(max: 9) != nil else { err = fail(); return }
                }
            }
            // 24:00:00 is not accepted: exports never need it and it would shift the day.
            guard hh <= 23, mi <= 59, ss <= 59 else { err = fail("time \(hh):\(mi):\(ss) does not exist"); return }
            stamp.secondOfDay = Int64(hh * 3600 + mi * 60 + ss)
            if i < u.count {
                let z = u[i]
                if z == UInt8(ascii: "Z") || z == UInt8(ascii: "z") {
                    i += 1; stamp.offsetSeconds = 0
                } else if z == UInt8(ascii: "+") || z == UInt8(ascii: "-") {
                    i += 1
                    guard let oh = exactly(2) else { err = fail("bad zone offset"); return }
                    var om = 0
                    if i < u.count, u[i] == UInt8(ascii: ":") { i += 1 }
                    if i < u.count {
                        guard let v = exactly(2) else { err = fail("bad zone offset"); return }
                        om = v
                    }
                    guard oh <= 14, om <= 59 else { err = fail("bad zone offset"); return }
                    let off = Int64(oh * 3600 + om * 60)
                    stamp.offsetSeconds = z == UInt8(ascii: "+") ? off : -off
                }
            }
            guard i == u.count else { err = fail(); return }
            result = stamp
        }
        if let result { return result }
        throw err ?? fail()
    }
}
