/// One reason a rule pack is refused: `FILE line N, PATH: PROBLEM` (docs/policy.md §2.4).
public struct PackError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    /// e.g. `trigger[3] "RL-04".when`; empty for file-level problems.
    public var path: String
    public var message: String

    public init(file: String, line: Int?, path: String, message: String) {
        self.file = file; self.line = line; self.path = path; self.message = message
    }

    public var description: String {
        var s = file
        if let line { s += " line \(line)" }
        if !path.isEmpty { s += (line == nil ? ": " : ", ") + path }
        return s + ": " + message
    }
}

/// All the errors of a refused pack (up to 50), so an author fixes a file in one round.
public struct PackErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public var errors: [PackError]
    public init(_ errors: [PackError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
