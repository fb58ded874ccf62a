import Foundation
import Glibc
import ServiceLifecycle

/// A long-running part of a process as a swift-service-lifecycle `Service` whose work runs on a
/// thread of its own.
///
/// Why a thread: the work blocks — SQLite transactions that hold the write lock for seconds,
/// libcurl transfers, inotify waits — and the cooperative pool has one thread per core (two on
/// the machines this runs on). One blocked pool thread would halve the process; two would stop
/// signal handling and the group itself. So the pool only awaits; the work never runs on it.
///
/// Graceful shutdown sets the body's `StopFlag` and waits for the body to return: the unit of work
/// in hand (a file, a batch) is finished. Cancellation — the group's bounded stop time has passed —
/// sets the flag too but returns at once, leaving the thread to the process's exit; the body's
/// work is transactional, so what it had not committed is rolled back and redone at the next
/// start. `RunningThreads` tells the caller which threads were left that way.
public struct ThreadService: Service, CustomStringConvertible {
    public let name: String
    private let running: RunningThreads
    private let body: @Sendable (StopFlag) throws -> Void

    /// `body` runs on a new thread named `name` and returns (or throws) once `StopFlag` is set.
    public init(name: String, running: RunningThreads, body: @escaping @Sendable (StopFlag) throws -> Void) {
        self.name = name
        self.running = running
        self.body = body
    }

    public var description: String { name }

    public func run() async throws {
        let stop = StopFlag()
        let outcome = ThreadOutcome()
        let name = name, running = running, body = body
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                    // Already cancelled before the thread started: do not start it.
                    guard outcome.wait(continuation) else { return }
                    running.started(name)
                    let thread = Thread {
                        ThreadService.nameThisThread(name)
                        let result = Result<Void, Error> {
                            do { try body(stop) } catch { throw ThreadServiceFailure(service: name, underlying: error) }
                        }
                        running.finished(name)
                        outcome.finish(result)
                    }
                    thread.start()
                }
            } onCancel: {
                stop.set()
                outcome.abandon()
            }
        } onGracefulShutdown: {
            stop.set()
        }
    }
}

extension ThreadService {
    /// Gives the calling thread its kernel name (at most 15 bytes), so `top -H`, `ps -L` and
    /// /proc show the part. Foundation's `Thread.name` does not reach the kernel on Linux, and
    /// Glibc's Swift module exports neither `pthread_setname_np` nor a callable `prctl`; writing
    /// /proc/thread-self/comm is what both do. A failure only leaves the inherited name.
    static func nameThisThread(_ name: String) {
        let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}

/// The names of the threads of `ThreadService`s that have not returned yet.
public final class RunningThreads: @unchecked Sendable {
    private let lock = NSLock()
    private var names: [String: Int] = [:]

    public init() {}

    /// Threads still running, sorted: after the group returned, these were cut off.
    public var stillRunning: [String] { lock.withLock { names.filter { $0.value > 0 }.keys.sorted() } }

    func started(_ name: String) { lock.withLock { names[name, default: 0] += 1 } }
    func finished(_ name: String) { lock.withLock { names[name, default: 1] -= 1 } }
}

/// One thread's result, handed to the awaiting task exactly once: when the body returns, or
/// earlier when the task is cancelled (the thread is then left to finish or die with the process).
private final class ThreadOutcome: @unchecked Sendable {
    private enum State {
        case starting
        case waiting(CheckedContinuation<Void, Error>)
        case abandonedEarly
        case done
    }
    private let lock = NSLock()
    private var state = State.starting

    /// Registers the awaiting continuation; false (and resumed) when cancelled before the start.
    func wait(_ continuation: CheckedContinuation<Void, Error>) -> Bool {
        let proceed: Bool = lock.withLock {
            if case .abandonedEarly = state { state = .done; return false }
            state = .waiting(continuation)
            return true
        }
        if !proceed { continuation.resume() }
        return proceed
    }

    func finish(_ result: Result<Void, Error>) {
        take()?.resume(with: result)
    }

    func abandon() {
        let waiting: CheckedContinuation<Void, Error>? = lock.withLock {
            switch state {
            case .starting: state = .abandonedEarly; return nil
            case .waiting(let c): state = .done; return c
            case .abandonedEarly, .done: return nil
            }
        }
        waiting?.resume()
    }

    private func take() -> CheckedContinuation<Void, Error>? {
        lock.withLock {
            guard case .waiting(let c) = state else { return nil }
            state = .done
            return c
        }
    }
}

/// A `ThreadService` body that threw, named, so the group's error tells which part stopped.
public struct ThreadServiceFailure: Error, CustomStringConvertible {
    public let service: String
    public let underlying: Error
    public var description: String { "\(service): \(underlying)" }
}
