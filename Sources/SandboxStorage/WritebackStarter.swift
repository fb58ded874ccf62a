import CLinux
import Dispatch
import Glibc
import Synchronization

/// While a write transaction is open, asks the kernel every 100 ms to start writing the WAL's dirty
/// pages to disk, without waiting for them (`sync_file_range` with `SYNC_FILE_RANGE_WRITE`).
///
/// Why: a long transaction (a first ingest, a pack's first pass) spills hundreds of megabytes of
/// pages to the WAL, and the checkpoint inside its COMMIT copies them into the database file. The
/// kernel holds all of them in memory until the fsyncs at the commit (its own writeback starts
/// only past 10 % of memory or after 30 s), so the commit waited for the disk to take everything
/// at once, with the rest of the process idle. Started early, the disk writes while the
/// transaction works, and the fsyncs find little left. It changes when bytes reach the disk, not
/// which: durability is still the commit's fsync (docs/benchmarks.md, issue 16, session 31).
///
/// Not the database file: this thread opens a file by name and closes it at each tick, and closing
/// any descriptor of the database drops every POSIX lock the process holds on it — the SHARED lock
/// by which SQLite's WAL mode keeps another process from deleting the WAL under a running
/// transaction. SQLite takes no lock on the WAL file itself (its locks are in the `-shm`), so
/// opening and closing the WAL is harmless. The database file's pages are written only by the
/// checkpoint; starting their writeback during it changed nothing measurable in a first pass's
/// commit (0.48–0.63 s either way, issue 16, session 45).
///
/// A thread of its own, so that it also runs during the COMMIT, which makes no callback. It
/// sleeps while no transaction is open; a transaction shorter than a tick never has it touch a
/// file. It holds no connection: it opens the WAL by name at each tick (the WAL comes and goes),
/// so it never keeps a deleted file's pages alive.
final class WritebackStarter: Sendable {
    private struct Shared {
        var writing = false
        /// Outermost transactions begun so far: a tick starts writeback only if the transaction
        /// open at its end is the one that was open at its start.
        var transactions = 0
        /// The thread waits on `wake` for a transaction to begin.
        var parked = false
        var stopping = false
        var ticks = 0
    }
    private let wal: String
    private let shared = Mutex(Shared())
    /// Wakes the parked thread (a transaction began) or ends a tick early (stop). A semaphore keeps
    /// a signal given just before the thread waits, so no wake-up is lost between the two.
    private let wake = DispatchSemaphore(value: 0)
    static let tickMilliseconds = 100

    /// Starts the thread for the database at `path`: it writes back its `-wal`.
    init(databasePath path: String) {
        wal = path + "-wal"
        let retained = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { context in
            let starter = Unmanaged<WritebackStarter>.fromOpaque(context!).takeRetainedValue()
            starter.run()
            return nil
        }, retained)
        if rc == 0 {
            pthread_detach(thread)
        } else {
            // No thread: commits wait for the disk as they did before; nothing else changes.
            Unmanaged<WritebackStarter>.fromOpaque(retained).release()
        }
    }

    /// The outermost transaction began: tick until `ended`.
    func began() {
        let parked = shared.withLock { s in
            s.writing = true
            s.transactions += 1
            defer { s.parked = false }
            return s.parked
        }
        if parked { wake.signal() }
    }

    /// The outermost transaction committed or rolled back.
    func ended() {
        shared.withLock { $0.writing = false }
    }

    /// Ends the thread (the connection closes); it lets go of the starter when it exits.
    func stop() {
        shared.withLock { $0.stopping = true }
        wake.signal()
    }

    /// Ticks that started writeback so far (tests ask: a long transaction makes some, a short
    /// one none).
    var ticksMade: Int { shared.withLock { $0.ticks } }

    private enum Next { case park, tick(transaction: Int), stop }

    private func run() {
        while true {
            let next = shared.withLock { s -> Next in
                if s.stopping { return .stop }
                if s.writing { return .tick(transaction: s.transactions) }
                s.parked = true
                return .park
            }
            switch next {
            case .stop:
                return
            case .park:
                wake.wait()
            case .tick(let transaction):
                _ = wake.wait(timeout: .now() + .milliseconds(Self.tickMilliseconds))
                // Back-to-back short transactions keep `writing` true most of the time; only one
                // that lasted the whole tick has its pages written early.
                guard shared.withLock({ $0.writing && !$0.stopping && $0.transactions == transaction }) else { continue }
                Self.startWriteback(wal)
                shared.withLock { $0.ticks += 1 }
            }
        }
    }

    /// Starts writing `path`'s dirty pages; a file that does not exist (yet) is skipped.
    static func startWriteback(_ path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = clinux_start_writeback(fd, 0, 0)
        close(fd)
    }
}
