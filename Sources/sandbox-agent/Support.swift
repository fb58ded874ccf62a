import Glibc
import Logging
import SandboxAgent
import SandboxCore

func printError(_ message: String) {
    let line = Array((message + "\n").utf8)
    line.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
}

/// Buffered standard output for commands that print many lines (`check --raw`).
final class StandardOutput {
    private var buffer: [UInt8] = []
    /// Runs before each write: wipes a progress line on the same terminal, so lines never mix.
    var beforeFlush: (() -> Void)?

    func line(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        buffer.append(0x0a)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        if !buffer.isEmpty { beforeFlush?() }
        var offset = 0
        while offset < buffer.count {
            let n = buffer[offset...].withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    deinit { flush() }
}

func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}

func parseDay(_ text: String) -> CivilDate? {
    let parts = text.split(separator: "-").compactMap { Int($0) }
    guard parts.count == 3 else { return nil }
    return CivilDate(year: parts[0], month: parts[1], day: parts[2])
}

/// Logs to stderr, one line per event — `text`: key=value metadata; `json`: one JSON object —
/// so journald keeps the lines.
func makeLogger(level: Logger.Level, format: AgentConfig.LogFormat = .text) -> Logger {
    LoggingSystem.bootstrap { label in
        switch format {
        case .json:
            var handler = JSONLogHandler(label: label)
            handler.logLevel = level
            return handler
        case .text:
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
    var logger = Logger(label: "sandbox-agent")
    logger.logLevel = level
    return logger
}
