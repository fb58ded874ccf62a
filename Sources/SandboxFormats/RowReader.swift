import SandboxCore

/// Reads rows from one export file, streaming: memory stays flat whatever the file size.
///
/// Implementations: `CSVReader` (RFC 4180, header row) and `JSONLinesReader` (one object per line,
/// keys as columns). Both sit on a `ByteSource` that undoes gzip and transcodes GB18030 to UTF-8.
public protocol RowReader: AnyObject {
    /// Column names as the file gives them: the CSV header, or for JSON Lines the keys in the order
    /// they were first seen (it grows as new keys appear; earlier rows are never re-read).
    var columns: [String] { get }
    /// The next row; `.failure` for a row that cannot be split into values (reading goes on);
    /// nil at the end. Throws `UnreadableFile` when the file as a whole cannot be read.
    func next() throws(UnreadableFile) -> Result<RawRow, MalformedRow>?
    /// Records whose every field was empty (`,,,`: Excel's blank row), skipped like blank lines.
    var emptyRecords: EmptyRecords { get }
}

extension RowReader {
    public var emptyRecords: EmptyRecords { EmptyRecords(count: 0, firstLines: []) }
}

/// How many all-empty records a reader skipped, and where the first of them were.
public struct EmptyRecords: Sendable, Equatable {
    public var count: Int
    /// Physical lines of the first few (at most `EmptyRecords.lineLimit`).
    public var firstLines: [Int]
    public static let lineLimit = 20
    public init(count: Int, firstLines: [Int]) { self.count = count; self.firstLines = firstLines }

    mutating func note(line: Int) {
        count += 1
        if firstLines.count < EmptyRecords.lineLimit { firstLines.append(line) }
    }
}

/// The file cannot be read at all (binary, corrupt gzip, no header, undecodable text): it is set
/// aside with this reason; no row of it is applied.
public struct UnreadableFile: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    /// The line where reading stopped, when known.
    public var line: Int?
    public init(_ reason: String, line: Int? = nil) { self.reason = reason; self.line = line }
    public var description: String { line.map { "line \($0): \(reason)" } ?? reason }
}

/// How the text of a CSV file is encoded.
public enum TextEncoding: String, Sendable, CaseIterable {
    /// UTF-8 when the bytes are valid UTF-8 (with or without BOM), else GB18030.
    case auto
    case utf8 = "utf-8"
    /// GB18030, a superset of GBK and GB2312: what Excel in China writes.
    case gb18030
}
