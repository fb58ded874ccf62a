import Foundation

/// Slows password guessing: after `freeFailures` failed logins for a username, or from an
/// address, each further attempt must wait — 30 s, doubling to at most 15 minutes — and a success
/// clears the username's count. Kept in memory per node: a restart or another node forgets it,
/// which costs an attacker a restart per handful of guesses (scrypt makes each guess cost too);
/// a shared store would be needed to make it exact across nodes.
public final class LoginThrottle: @unchecked Sendable {
    public static let freeFailures = 5
    private let lock = NSLock()
    private var failures: [String: (count: Int, until: Int64)] = [:]

    public init() {}

    /// Seconds the caller must still wait before trying `keys` again (0: go ahead).
    public func wait(for keys: [String], now: Int64) -> Int64 {
        lock.lock(); defer { lock.unlock() }
        return keys.map { max(0, (failures[$0]?.until ?? 0) - now) }.max() ?? 0
    }

    public func failed(_ keys: [String], now: Int64) {
        lock.lock(); defer { lock.unlock() }
        if failures.count > 100_000 { failures = failures.filter { $0.value.until > now } }  // bounded
        for key in keys {
            let count = (failures[key]?.count ?? 0) + 1
            let over = count - Self.freeFailures
            let delay: Int64 = over <= 0 ? 0 : min(900, 30 << min(over - 1, 5))
            failures[key] = (count, now + delay)
        }
    }

    public func succeeded(_ keys: [String]) {
        lock.lock(); defer { lock.unlock() }
        for key in keys { failures[key] = nil }
    }
}
