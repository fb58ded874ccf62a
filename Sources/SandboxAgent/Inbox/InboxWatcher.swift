import Glibc

/// Tells the agent that something arrived in the inbox, through inotify.
///
/// Events are a wake-up and a hint, not the source of truth: after every wake-up the inbox is
/// listed again, so a lost or overflowed event only delays a file until the next rescan.
/// IN_CLOSE_WRITE and IN_MOVED_TO mark a name as complete ("announced"); a file that was never
/// announced (written before the agent started, or on a file system without inotify) is taken
/// once it has settled.
final class InboxWatcher {
    private let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    struct Wake {
        var announced: [String] = []
        /// The kernel dropped events: rescan everything now.
        var overflow = false
    }

    init(folder: String) throws(FileSystem.Failure) {
        fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw FileSystem.Failure(operation: "inotify_init1", path: folder, code: errno) }
        let mask = UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO)
        guard inotify_add_watch(fd, folder, mask) >= 0 else {
            let code = errno
            close(fd)
            throw FileSystem.Failure(operation: "watch", path: folder, code: code)
        }
    }

    deinit { close(fd) }

    /// Waits up to `milliseconds` for events and returns what arrived (possibly nothing).
    func wait(milliseconds: Int32) -> Wake {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        var wake = Wake()
        guard poll(&pfd, 1, milliseconds) > 0 else { return wake }
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            var offset = 0
            while offset + 16 <= n {
                let (mask, length) = buffer.withUnsafeBytes { raw -> (UInt32, Int) in
                    (raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                     Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)))
                }
                if mask & UInt32(IN_Q_OVERFLOW) != 0 { wake.overflow = true }
                if length > 0 {
                    let nameBytes = buffer[(offset + 16)..<(offset + 16 + length)].prefix { $0 != 0 }
                    wake.announced.append(String(decoding: nameBytes, as: UTF8.self))
                }
                offset += 16 + length
            }
        }
        return wake
    }
}
