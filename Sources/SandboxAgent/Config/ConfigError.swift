/// A problem with agent.conf, said so the operator can fix it: file, line, key, what was expected.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int?
    public var key: String?
    public var problem: String

    public init(file: String, line: Int?, key: String?, problem: String) {
        self.file = file; self.line = line; self.key = key; self.problem = problem
    }

    public var description: String {
        var s = file
        if let line { s += " line \(line)" }
        s += ": "
        if let key { s += "`\(key)` " }
        return s + problem
    }
}
