/// What an inbox file carries, told by its file name's prefix (`merchants-0701.csv`).
public enum ExportKind: String, CaseIterable, Sendable, Codable {
    case merchants, licences, events, receipts, registry

    /// What an inbox file name must look like, for the message that refuses one that does not.
    public static let fileNameRule = "unknown kind of file: the name must start with "
        + allCases.map { $0.rawValue + "-" }.joined(separator: ", ")
        + " and end in .csv, .jsonl or .ndjson (optionally .gz)"

    /// The kind of a file name, or nil when no known prefix `KIND-` starts it.
    public init?(fileName: String) {
        for k in ExportKind.allCases where fileName.hasPrefix(k.rawValue + "-") {
            self = k
            return
        }
        return nil
    }
}

/// The data format and compression of an inbox file, told by its extension.
public struct FileFormat: Equatable, Sendable {
    public enum Syntax: String, Sendable { case csv, jsonLines = "jsonl" }
    public var syntax: Syntax
    public var gzip: Bool

    public init(syntax: Syntax, gzip: Bool) { self.syntax = syntax; self.gzip = gzip }

    /// `.csv`, `.jsonl`, `.ndjson`, optionally followed by `.gz`; nil for anything else.
    public init?(fileName: String) {
        var name = fileName.lowercased()
        gzip = name.hasSuffix(".gz")
        if gzip { name.removeLast(3) }
        if name.hasSuffix(".csv") { syntax = .csv }
        else if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") { syntax = .jsonLines }
        else { return nil }
    }
}
