/// Why a directive order cannot be sent as asked (the console shows it; the API answers 400).
struct DirectiveOrderProblem: Error, Sendable, Equatable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
