/// One problem with one value of a row: which column (as the file names it) and why.
public struct FieldProblem: Sendable, Equatable, CustomStringConvertible {
    /// The column name as the file gives it, or `english/中文` when the file lacks the column.
    public var column: String
    /// 1-based position in the file, nil when the file lacks the column.
    public var columnNumber: Int?
    public var reason: String

    public init(column: String, columnNumber: Int?, reason: String) {
        self.column = column; self.columnNumber = columnNumber; self.reason = reason
    }

    public var description: String {
        "column \(column)" + (columnNumber.map { " (#\($0))" } ?? "") + ": \(reason)"
    }
}

/// A row that cannot become a record, with every problem found in it (not just the first).
public struct RowRejection: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var problems: [FieldProblem]

    public init(line: Int, problems: [FieldProblem]) { self.line = line; self.problems = problems }

    /// `line 88: column 统一社会信用代码 (#4): …; column …`.
    public var description: String {
        "line \(line): " + problems.map(\.description).joined(separator: "; ")
    }
}
