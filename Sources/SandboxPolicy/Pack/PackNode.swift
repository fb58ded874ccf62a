import SandboxCore

/// A rule pack as a neutral tree (tables, arrays, values), so the compiler in the core does not
/// depend on a TOML library: SandboxPack turns TOMLKit's tree into this.
public indirect enum PackNode: Sendable {
    case table([String: PackNode])
    case array([PackNode])
    case text(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    case date(CivilDate)
    /// A TOML value the pack never uses (a time, a date-time): named for the error message.
    case other(String)

    var typeName: String {
        switch self {
        case .table: "a table"
        case .array: "an array"
        case .text: "a string"
        case .integer: "an integer"
        case .float: "a decimal number"
        case .boolean: "a boolean"
        case .date: "a date"
        case .other(let n): n
        }
    }
}

/// The parsed file: its tree, its name for messages, and where each key was written.
public struct PackDocument: Sendable {
    public var fileName: String
    public var root: [String: PackNode]
    public var locator: PackKeyLocator

    public init(fileName: String, root: [String: PackNode], locator: PackKeyLocator) {
        self.fileName = fileName; self.root = root; self.locator = locator
    }
}
