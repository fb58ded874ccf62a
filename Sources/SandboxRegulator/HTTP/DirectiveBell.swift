import Foundation

/// Wakes long polls when a directive is created.
///
/// A generation number closes the gap between "queried, found nothing" and "started waiting":
/// a poller reads the generation before it queries, and `wait` returns at once when a directive
/// arrived since then.
public final class DirectiveBell: @unchecked Sendable {
    // @unchecked: every field is read and written only under `lock`.
    private let lock = NSLock()
    private var generation: UInt64 = 0
    private var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    private var nextWaiter: UInt64 = 0
    /// Timers that fired before their waiter was registered: that waiter must not sleep on.
    private var expired: Set<UInt64> = []

    public init() {}

    public var current: UInt64 { lock.withLock { generation } }

    /// Wakes every waiter.
    public func ring() {
        let woken: [CheckedContinuation<Void, Never>] = lock.withLock {
            generation &+= 1
            defer { waiters.removeAll() }
            return Array(waiters.values)
        }
        for w in woken { w.resume() }
    }

    /// Returns when the bell rang after `seen` (true), or after `seconds` (false), whichever is first.
    @discardableResult
    public func wait(since seen: UInt64, seconds: Double) async -> Bool {
        guard seconds > 0 else { return current != seen }
        let id: UInt64 = lock.withLock { nextWaiter &+= 1; return nextWaiter }
        let timer = Task { [weak self] in
            // Cancelled (the bell rang first): nothing to release.
            guard (try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))) != nil else { return }
            self?.release(id)
        }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let resumeNow: Bool = lock.withLock {
                if generation != seen || expired.remove(id) != nil { return true }
                waiters[id] = c
                return false
            }
            if resumeNow { c.resume() }
        }
        timer.cancel()
        return lock.withLock {
            _ = expired.remove(id)
            return generation != seen
        }
    }

    /// Long polls now waiting (for tests and diagnostics).
    public var waiting: Int { lock.withLock { waiters.count } }

    private func release(_ id: UInt64) {
        let c: CheckedContinuation<Void, Never>? = lock.withLock {
            guard let c = waiters.removeValue(forKey: id) else { expired.insert(id); return nil }
            return c
        }
        c?.resume()
    }
}
