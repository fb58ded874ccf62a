import Foundation
import SandboxCore

/// Unix seconds as ISO-8601 UTC text (`2026-07-01T08:30:00Z`), the form every answer uses.
enum Timestamp {
    static func iso(_ unix: Int64) -> String {
        let days = unix >= 0 ? unix / 86_400 : (unix - 86_399) / 86_400
        let second = Int(unix - days * 86_400)
        func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(CivilDate(dayNumber: Int(days)))T\(pad(second / 3600)):\(pad(second / 60 % 60)):\(pad(second % 60))Z"
    }

    /// The regulator's now (RegulatorClock: the wall clock unless a clock file simulates it).
    static func now() -> Int64 { RegulatorClock.now() }

    /// RFC 3339 text (`2026-07-01T08:30:00Z`, `…+08:00`), or a bare day `2026-07-01` (UTC midnight).
    static func parse(_ text: String) -> Int64? {
        if let day = CivilDate(isoText: text) { return Int64(day.dayNumber) * 86_400 }
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text).map { Int64($0.timeIntervalSince1970) }
    }
}
