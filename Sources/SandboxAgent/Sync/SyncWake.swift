import Foundation

/// Wakes a sync thread early: the pipeline rings it after a file commits (new queue entries), the
/// stop handler rings it so the thread sees the stop at once.
///
/// `@unchecked Sendable`: `rung` is only touched under the condition's lock.
public final class SyncWake: @unchecked Sendable {
    private let condition = NSCondition()
    private var rung = false

    public init() {}

    public func ring() {
        condition.lock()
        rung = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until rung or until `unixMilliseconds` (real time), at most `maxMilliseconds`.
    public func wait(untilMs unixMilliseconds: Int64, maxMilliseconds: Int64 = 1000) {
        let now = AgentClock.realUnixMilliseconds()
        let ms = max(0, min(unixMilliseconds - now, maxMilliseconds))
        condition.lock()
        defer { condition.unlock() }
        if !rung { _ = condition.wait(until: Date(timeIntervalSinceNow: Double(ms) / 1000)) }
        rung = false
    }
}
