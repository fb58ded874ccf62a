/// The rejected lines of one request: every one counted, the first `listLimit` listed with their
/// reason. A few kilobytes of gzip can hold millions of junk lines; listed in full, the answer —
/// and the copy the regulator keeps for a replay — grew to hundreds of megabytes.
public struct RejectedLines: Sendable, Equatable {
    /// How many are listed; the rest only counted (docs/api/openapi.yaml `rejected_count`).
    public static let listLimit = 100

    public private(set) var listed: [FeedRejection] = []
    public private(set) var count = 0

    public init() {}

    /// Counts a rejected line; its reason is built only while there is room to list it.
    public mutating func add(line: Int, reason: @autoclosure () -> String) {
        count += 1
        if listed.count < Self.listLimit { listed.append(FeedRejection(line: line, reason: reason())) }
    }
}
