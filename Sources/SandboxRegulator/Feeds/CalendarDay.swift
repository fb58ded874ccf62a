import SandboxCore

/// `YYYY-MM-DD` text ↔ `CivilDate`, for the dates the policy's feed items and the draw carry.
enum CalendarDay {
    static func parse(_ text: String) -> CivilDate? {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == 0x2D, u[7] == 0x2D,
              [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy({ u[$0] >= 0x30 && u[$0] <= 0x39 }),
              let y = Int(text.prefix(4)), let m = Int(text.dropFirst(5).prefix(2)), let d = Int(text.suffix(2)) else { return nil }
        return CivilDate(year: y, month: m, day: d)
    }

    static func isDay(_ text: String) -> Bool { parse(text) != nil }
}
