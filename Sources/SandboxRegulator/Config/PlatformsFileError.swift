/// The platforms file cannot be used: which file, where, and what to change. Never holds a secret.
public struct PlatformsFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var problem: String
    public init(file: String, problem: String) { self.file = file; self.problem = problem }
    public var description: String { "\(file): \(problem)" }
}
