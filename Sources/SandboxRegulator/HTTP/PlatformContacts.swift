import Foundation

/// When each platform's agent last asked for directives. Kept in memory, not in the store: a poll
/// comes every few seconds per platform and writing each one would be the busiest write of all for
/// a figure that matters only while it is recent. After a restart it is unknown until the next
/// poll (seconds later, for a live agent); batches and receipts, which are stored, still tell.
///
/// `@unchecked Sendable`: the dictionary is only touched under the lock.
public final class PlatformContacts: @unchecked Sendable {
    private let lock = NSLock()
    private var lastPoll: [String: Int64] = [:]

    public init() {}

    func polled(_ platformID: String, at unixTime: Int64) { lock.withLock { lastPoll[platformID] = unixTime } }

    func lastPoll(_ platformID: String) -> Int64? { lock.withLock { lastPoll[platformID] } }
}
