/// One row as a reader produced it, before typing: the values by column position, as strings.
///
/// The reader knows syntax (CSV quoting, JSON escapes, encodings); the validator knows meaning.
/// An empty string means the file gave nothing for that column.
public struct RawRow: Sendable {
    /// The physical line (1-based) on which the row starts in the decoded file.
    public var line: Int
    /// Values aligned with the reader's `columns` at the time the row was read; a short row
    /// (fewer values than columns) is the validator's to report.
    public var values: [String]

    public init(line: Int, values: [String]) { self.line = line; self.values = values }
}

/// A row the reader could not split into values (a JSON line that is not an object, a
/// non-scalar value): reported as a reject, and reading goes on with the next row.
public struct MalformedRow: Error, Sendable, Equatable {
    public var line: Int
    public var column: String?
    public var reason: String
    public init(line: Int, column: String? = nil, reason: String) {
        self.line = line; self.column = column; self.reason = reason
    }
}
