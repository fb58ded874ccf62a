/// Why `sandbox-regulator draw` could not run, worded for the operator: what and what to do.
public struct DrawError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
