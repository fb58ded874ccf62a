import SandboxCore
import SandboxWire

/// One line of a feed batch: a record of one platform, filed by key and (when known) by USCC.
public struct FeedItem: Sendable, Equatable {
    /// The types the wire's envelope allows (`FeedItemLine`).
    public typealias Kind = FeedItemLine.ItemType

    public var kind: Kind
    public var platformID: String
    public var key: String
    public var uscc: String?
    public var contentHash: String
    /// The record's fields, stored as compact JSON text with sorted keys.
    public var dataJSON: String
    /// The rule pack that made the decision, or that was active when the batch was frozen
    /// (docs/policy.md §10.1); nil when the agent has no pack or predates packs.
    public var packVersion: String? = nil
    public var packSerial: Int64? = nil
    /// The record's version as the agent stamped it (its batch's freeze time in ms, never going
    /// back): an item older than the stored version changes nothing, so a late or replayed batch
    /// cannot roll a record back. nil from a client that stamps none.
    public var version: Int64? = nil
}
