/// A place inside an expression: 1-based line and column (columns count characters, so a Chinese
/// literal advances by one). The pack compiler adds the line of the TOML key for messages.
public struct SourceLocation: Hashable, Sendable {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) { self.line = line; self.column = column }
}

/// Why an expression was refused: what is wrong, where, and (when we can) what would be right.
public struct ConditionError: Error, Hashable, Sendable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String
    public init(_ message: String, at location: SourceLocation) {
        self.message = message; self.location = location
    }
    public var description: String { "line \(location.line), column \(location.column): \(message)" }
}
