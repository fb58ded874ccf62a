import SandboxWire

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

    /// These lines and `others` (in line order, like these) as one list in line order: the first
    /// `listLimit` of all of them listed, every one counted. A line of these not listed cannot be
    /// among the first of the merged list, since the listed ones all come before it.
    public func merged<T>(with others: [T], line: (T) -> Int, reason: (T) -> String) -> RejectedLines {
        var result = RejectedLines()
        var i = 0, j = 0
        while i < listed.count || j < others.count {
            if j == others.count || (i < listed.count && listed[i].line <= line(others[j])) {
                result.add(line: listed[i].line, reason: listed[i].reason)
                i += 1
            } else {
                result.add(line: line(others[j]), reason: reason(others[j]))
                j += 1
            }
        }
        result.count += count - listed.count
        return result
    }
}
