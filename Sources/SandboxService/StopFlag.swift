import Foundation

/// A stop request that a blocking loop on its own thread polls between units of work (a file, a
/// batch, a poll), and that C callbacks can reach through an opaque pointer (libcurl's progress
/// callback ends a long poll with it).
///
/// `@unchecked Sendable`: the flag is only touched under the lock; the actions run once, outside it.
public final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var actions: [@Sendable () -> Void] = []

    public init() {}

    public var isSet: Bool { lock.withLock { stopped } }

    /// Sets the flag and runs the actions registered with `onSet` (each wakes a waiting loop).
    public func set() {
        let run: [@Sendable () -> Void] = lock.withLock {
            guard !stopped else { return [] }
            stopped = true
            defer { actions = [] }
            return actions
        }
        for action in run { action() }
    }

    /// Runs `action` when the flag is set (at once if it already is): a loop asleep on a condition
    /// or a socket is woken instead of sleeping out its timeout.
    public func onSet(_ action: @escaping @Sendable () -> Void) {
        let now: Bool = lock.withLock {
            if stopped { return true }
            actions.append(action)
            return false
        }
        if now { action() }
    }
}
