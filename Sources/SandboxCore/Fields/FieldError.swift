/// Why one value could not be typed: says what was expected and what was found.
public struct FieldError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
