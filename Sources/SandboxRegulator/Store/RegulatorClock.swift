import Foundation
import SandboxCore
import Synchronization

/// The regulator's "now": the wall clock, or — for simulations and tests only — the instant a
/// clock file says (`sandbox-regulator serve --clock-file PATH`). Everything the regulator stamps
/// (officers' confirmations and art. 33 decisions, lead steps, receipts' arrival, directives,
/// sessions) and every "today" it reads (leads overdue, the outcome report's default period) then
/// follows the simulated days the agents run with `--now`, so a simulated year's figures fall in
/// that year.
///
/// Safe by construction: the file is named on the command line only (no request can set or move
/// it), the server announces it loudly at start, and a platform's link signature is still checked
/// against the wall clock (`wall()`), so a simulated clock never widens the replay window.
public enum RegulatorClock {
    private struct Simulated {
        var path: String
        var last: Int64
    }
    private static let simulated = Mutex<Simulated?>(nil)

    /// Reads `path` now (a bad file stops the server at start) and makes it the clock.
    public static func simulate(from path: String) throws -> Int64 {
        guard let instant = read(path) else {
            throw ClockFileError(path: path)
        }
        simulated.withLock { $0 = Simulated(path: path, last: instant) }
        return instant
    }

    /// Whether a clock file is in use.
    public static var isSimulated: Bool { simulated.withLock { $0 != nil } }

    /// The regulator's now: the clock file's instant as last written (read on every call, so the
    /// simulation moves it by rewriting the file; a file caught half-written keeps the last
    /// instant), else the wall clock.
    static func now() -> Int64 {
        simulated.withLock { s -> Int64 in
            guard var clock = s else { return wall() }
            if let instant = read(clock.path) { clock.last = instant; s = clock }
            return clock.last
        }
    }

    /// The machine's clock, whatever the clock file says: for what must not follow a simulated
    /// clock (the link signature's freshness).
    static func wall() -> Int64 { Int64(Date().timeIntervalSince1970) }

    /// The file's first line: RFC 3339 (`2026-07-01T18:00:00+08:00`) or Unix seconds.
    static func read(_ path: String) -> Int64? {
        guard let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8)?.split(whereSeparator: \.isNewline).first
                .map({ $0.trimmingCharacters(in: .whitespaces) }), !text.isEmpty else { return nil }
        if text.allSatisfy(\.isNumber) { return Int64(text) }
        guard text.contains("T") else { return nil }   // a bare day would say nothing of the hour
        return UTCTime.parse(text)
    }
}

/// The clock file could not be read at start.
public struct ClockFileError: Error, CustomStringConvertible {
    public var path: String
    public var description: String {
        "--clock-file \(path): cannot read an instant from it; write one line, RFC 3339 (2026-07-01T18:00:00+08:00) or Unix seconds"
    }
}
