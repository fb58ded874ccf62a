/// How much a finding weighs; later the rule pack maps it to deadlines and escalation.
public enum FindingSeverity: String, Sendable, Codable, Comparable, CaseIterable {
    case minor, general, serious
    public static func < (a: Self, b: Self) -> Bool {
        let order: [Self] = [.minor, .general, .serious]
        return order.firstIndex(of: a)! < order.firstIndex(of: b)!
    }
}

/// One piece of evidence: which field, what was expected, what was found.
public struct Evidence: Hashable, Sendable, Codable {
    public var field: String
    public var expected: String?
    public var found: String?
    public init(field: String, expected: String?, found: String?) {
        self.field = field; self.expected = expected; self.found = found
    }
}

/// A qualification problem found for one merchant: the input of red-line triggers and cases.
public struct Finding: Hashable, Sendable, Codable {
    /// Stable code, e.g. `USCC_CHECK_CHARACTER`; a merchant has at most one finding per code.
    public var code: String
    public var severity: FindingSeverity
    /// The reason in Chinese, as the merchant and the regulator read it.
    public var message: String
    public var evidence: [Evidence]
    /// The legal basis, e.g. `《电子商务法》第十五条`.
    public var basis: String

    public init(code: String, severity: FindingSeverity, message: String, evidence: [Evidence], basis: String) {
        self.code = code; self.severity = severity; self.message = message
        self.evidence = evidence; self.basis = basis
    }
}
