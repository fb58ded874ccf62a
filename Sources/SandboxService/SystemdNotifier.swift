import Foundation
import Glibc

/// systemd's notify protocol, spoken directly (no libsystemd): datagrams such as `READY=1`,
/// `STATUS=…`, `WATCHDOG=1`, `STOPPING=1` to the socket named by `NOTIFY_SOCKET` (a path, or an
/// abstract name starting with `@`). Without `NOTIFY_SOCKET` (not under systemd) it does nothing.
///
/// The watchdog interval comes from `WATCHDOG_USEC` (set by `WatchdogSec=`); keep-alives go out at
/// half of it, from the loop whose liveness they vouch for.
///
/// Shared by the threads and services of one process: `sendto` on a datagram socket is
/// thread-safe, and the only mutable field (when the last keep-alive went out) is under a lock.
public final class SystemdNotifier: @unchecked Sendable {
    private let fd: Int32
    private var address = sockaddr_un()
    private var addressLength = socklen_t(0)
    /// Half the watchdog interval in milliseconds, nil when no watchdog is asked for.
    public let watchdogIntervalMs: Int64?
    private var lastWatchdogMs: Int64 = 0
    private let lock = NSLock()

    public var isActive: Bool { fd >= 0 }

    public init(environment: [String: String] = SystemdNotifier.processEnvironment()) {
        if let usec = environment["WATCHDOG_USEC"].flatMap(Int64.init), usec > 0,
           environment["WATCHDOG_PID"].flatMap(Int32.init).map({ $0 == getpid() }) ?? true {
            watchdogIntervalMs = max(1, usec / 2_000)
        } else {
            watchdogIntervalMs = nil
        }
        guard let path = environment["NOTIFY_SOCKET"], !path.isEmpty, path.utf8.count < 108 else {
            fd = -1
            return
        }
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }  // abstract namespace
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        addressLength = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Sends one notification; failures are ignored (systemd may be restarting).
    public func notify(_ message: String) {
        guard fd >= 0 else { return }
        var bytes = Array(message.utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                sendto(fd, &bytes, bytes.count, Int32(MSG_NOSIGNAL), sa, addressLength)
            }
        }
    }

    public func ready(status: String) {
        lock.withLock { readySent = true }
        notify("READY=1\nSTATUS=\(Self.oneLine(status))")
    }
    /// Keep-alives vouch for a running service, so none goes out before READY=1.
    private var readySent = false
    public func status(_ text: String) { notify("STATUS=\(Self.oneLine(text))") }
    public func stopping() { notify("STOPPING=1\nSTATUS=stopping: finishing the work in hand") }
    /// systemd (since 253) wants the reload's monotonic start time with `RELOADING=1`.
    public func reloading(status: String) {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let usec = Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
        notify("RELOADING=1\nMONOTONIC_USEC=\(usec)\nSTATUS=\(Self.oneLine(status))")
    }

    /// Sends `WATCHDOG=1` when half the interval has passed since the last one.
    public func keepAlive(nowMs: Int64) {
        guard let interval = watchdogIntervalMs else { return }
        let due: Bool = lock.withLock {
            guard readySent, nowMs - lastWatchdogMs >= interval else { return false }
            lastWatchdogMs = nowMs
            return true
        }
        if due { notify("WATCHDOG=1") }
    }

    static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }

    public static func processEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") { result[String(text[..<eq])] = String(text[text.index(after: eq)...]) }
            p += 1
        }
        return result
    }
}
