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
    /// Rung from another thread (a stop request) to end a wait at once.
    let interrupt: Interrupt

    struct Wake {
        var announced: [String] = []
        /// The kernel dropped events: rescan everything now.
        var overflow = false
    }

    init(folder: String) throws(FileSystem.Failure) {
        interrupt = try Interrupt()
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

    /// Waits up to `milliseconds` for events, or until interrupted, and returns what arrived
    /// (possibly nothing).
    func wait(milliseconds: Int32) -> Wake {
        var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: interrupt.fd, events: Int16(POLLIN), revents: 0)]
        var wake = Wake()
        guard poll(&fds, 2, milliseconds) > 0 else { return wake }
        if fds[1].revents != 0 { interrupt.reset() }
        guard fds[0].revents != 0 else { return wake }
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

extension InboxWatcher {
    /// A self-pipe that ends the watcher's wait from any thread: the pipeline sleeps in the
    /// watcher, and a stop should not wait out the sleep. (A pipe rather than an eventfd: Glibc's
    /// Swift module does not export eventfd.)
    final class Interrupt: Sendable {
        /// The end the watcher polls.
        let fd: Int32
        private let writeEnd: Int32

        init() throws(FileSystem.Failure) {
            var ends: [Int32] = [0, 0]
            guard pipe(&ends) == 0 else { throw FileSystem.Failure(operation: "pipe", path: "", code: errno) }
            for end in ends {
                _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)  // not inherited by the re-executed agent
            }
            fd = ends[0]
            writeEnd = ends[1]
        }

        deinit { close(fd); close(writeEnd) }

        /// A full pipe already means "rung": a failed write loses nothing.
        func ring() {
            var one: UInt8 = 1
            _ = write(writeEnd, &one, 1)
        }

        func reset() {
            var bytes = [UInt8](repeating: 0, count: 64)
            while read(fd, &bytes, bytes.count) > 0 {}
        }
    }
}
