import Glibc

/// The progress line of `check`, `run --once` and `generate` on a terminal: drawn in place with
/// a carriage return at most five times a second, and wiped when the file ends, so what stays on
/// the screen is the command's own output. Written to standard error: standard output stays
/// machine-readable (`check --json`).
///
/// Made only for a person at a terminal (`forStandardError`): not into a pipe or a file, not
/// under systemd, never in the service. Cheap to feed: callers report every few hundred rows, and
/// between draws an update costs one monotonic clock read.
///
/// Not `Sendable`: during `run --once` the look-ahead's reader thread feeds it, and the caller's
/// thread touches it only before that thread starts and after it ended.
public final class ProgressDisplay {
    /// At most this often (ns): five updates a second read well and cost nothing.
    static let interval: UInt64 = 200_000_000

    private let write: (String) -> Void
    private let clock: () -> UInt64
    private let width: () -> Int
    private var line: ProgressLine?
    private var startedAt: UInt64 = 0
    private var lastDraw: UInt64?
    /// Columns on screen now: what a shorter line or a wipe must blank.
    private var shown = 0

    /// `clock`: monotonic nanoseconds; `width`: the terminal's columns.
    public init(write: @escaping (String) -> Void, clock: @escaping () -> UInt64, width: @escaping () -> Int) {
        self.write = write
        self.clock = clock
        self.width = width
    }

    /// Whether a progress line is wanted: only for a terminal, and not under systemd (a unit's
    /// stderr is the journal even when it is a tty, and `INVOCATION_ID` marks every unit).
    public static func isWanted(stderrIsTerminal: Bool, environment: (String) -> String?) -> Bool {
        guard stderrIsTerminal else { return false }
        return ["NOTIFY_SOCKET", "INVOCATION_ID"].allSatisfy { (environment($0) ?? "").isEmpty }
    }

    /// A display on standard error, or nil when none is wanted there.
    public static func forStandardError() -> ProgressDisplay? {
        guard isWanted(stderrIsTerminal: isatty(2) == 1, environment: { getenv($0).map { String(cString: $0) } }) else {
            return nil
        }
        return ProgressDisplay(write: { text in
            var bytes = Array(text.utf8)[...]
            while !bytes.isEmpty {
                let n = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }  // a closed terminal: progress is not worth an error
                bytes = bytes.dropFirst(n)
            }
        }, clock: {
            var ts = timespec()
            clock_gettime(CLOCK_MONOTONIC, &ts)
            return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
        }, width: {
            var size = winsize()
            return ioctl(2, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
        })
    }

    /// A new file (or run): drawn at once, with nothing done yet.
    public func start(_ line: ProgressLine) {
        self.line = line
        startedAt = clock()
        draw(at: startedAt)
    }

    /// Where the work is; drawn if the last draw is old enough.
    public func update(rows: Int, bytes: Int) {
        guard line != nil else { return }
        line!.rows = rows
        line!.bytes = bytes
        let now = clock()
        if let last = lastDraw, now &- last < ProgressDisplay.interval { return }
        draw(at: now)
    }

    /// Wipes the line before other output goes to the same terminal; the next update redraws it.
    public func clear() {
        guard shown > 0 else { return }
        write("\r" + String(repeating: " ", count: shown) + "\r")
        shown = 0
        lastDraw = nil
    }

    /// The file is done: the line is wiped, and updates are ignored until the next `start`.
    public func finish() {
        clear()
        line = nil
    }

    private func draw(at now: UInt64) {
        guard var line else { return }
        line.elapsedSeconds = Double(now &- startedAt) / 1e9
        let text = line.text(width: width())
        let columns = ProgressLine.columns(text)
        // Blank what a longer earlier line left beyond this one.
        write("\r" + text + String(repeating: " ", count: max(0, shown - columns)))
        shown = max(shown, columns)
        lastDraw = now
    }
}
