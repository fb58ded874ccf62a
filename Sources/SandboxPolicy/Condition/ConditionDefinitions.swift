/// The `[[define]]`s of a pack: named conditions, expanded where they are used (§3.7).
public struct ConditionDefinitions: Sendable {
    public struct Definition: Sendable {
        public var name: String
        public var scope: ConditionScope
        var syntax: ConditionSyntax
    }

    private(set) var byName: [String: Definition] = [:]

    public init() {}

    /// Parses and adds one definition; a syntax error is reported against the definition itself.
    public mutating func add(name: String, scope: ConditionScope, expression: String) throws(ConditionError) {
        byName[name] = Definition(name: name, scope: scope, syntax: try ConditionParser.parse(expression))
    }

    public var names: [String] { byName.keys.sorted() }
}

/// Where an expression is evaluated: for each merchant, or for each event/licence inside count().
public enum ConditionScope: Hashable, Sendable {
    case merchant
    case elements(ElementCollection)

    public var name: String {
        switch self {
        case .merchant: "merchant"
        case .elements(.events): "event"
        case .elements(.licences): "licence"
        }
    }
}
