import Foundation

/// The bytes every feed and receipts request in the process may hold at once, compressed and
/// inflated (issue 17 item 5: each request was bounded, the sum was not — four gzip bombs at once
/// took 2.1 GB, four bodies of many valid items 3.5 GB).
///
/// A request takes its share before it holds the bytes (`IntakeReservation`); when the budget is
/// taken it is refused with 429 and `Retry-After`, which the agent honours, instead of the process
/// growing until the kernel kills it.
public final class IntakeBudget: @unchecked Sendable {
    // @unchecked: `used` is read and written only under `lock`.
    private let lock = NSLock()
    private var used = 0
    /// The most all requests together may hold, in bytes.
    public let capacity: Int

    public init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// Takes `bytes` when they fit beside what is held; false, taking nothing, when not.
    func take(_ bytes: Int) -> Bool {
        precondition(bytes >= 0)
        return lock.withLock {
            guard bytes <= capacity - used else { return false }
            used += bytes
            return true
        }
    }

    func give(_ bytes: Int) {
        lock.withLock {
            precondition(bytes >= 0 && bytes <= used, "gave back more than was taken")
            used -= bytes
        }
    }

    /// What is held now, by all requests together.
    public var inUse: Int { lock.withLock { used } }
}
