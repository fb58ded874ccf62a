import SandboxCore

/// The static types of the condition language (docs/policy.md §3.1).
public enum ValueType: Hashable, Sendable, CustomStringConvertible {
    case bool, number, text, date, duration
    case coded(CodedKind)

    public var description: String {
        switch self {
        case .bool: "bool"
        case .number: "number"
        case .text: "text"
        case .date: "date"
        case .duration: "duration"
        case .coded(let k): k.rawValue
        }
    }
}

/// The coded values a field may hold; literals are checked against them, in English or Chinese.
/// Only `severity` and `class` are ordered.
public enum CodedKind: String, Hashable, Sendable, CaseIterable {
    case entityType = "entity_type", status, licenceType = "licence_type", eventType = "event_type",
         severity, registrationStatus = "registration_status", riskClass = "class"

    /// Spellings per code; the code's index is its stored value (UInt8).
    public var values: [[String]] {
        func of<C: CodedValue>(_ t: C.Type) -> [[String]] { C.allCases.map { [$0.rawValue] + $0.chineseNames } }
        switch self {
        case .entityType: return of(EntityType.self)
        case .status: return of(StorefrontStatus.self)
        case .licenceType: return of(LicenceType.self)
        case .eventType: return of(EventType.self)
        case .severity: return of(EventSeverity.self)
        case .registrationStatus: return of(RegistrationStatus.self)
        case .riskClass: return RiskClass.allCases.map { [$0.rawValue] }
        }
    }

    public var isOrdered: Bool { self == .severity || self == .riskClass }

    /// The code of a literal spelling, or nil.
    public func code(of spelling: String) -> UInt8? {
        let lowered = spelling.lowercased()
        for (i, names) in values.enumerated() where names[0] == lowered || names.contains(spelling) {
            return UInt8(i)
        }
        if self == .riskClass, let c = RiskClass(rawValue: spelling.uppercased()) { return c.code }
        return nil
    }

    public func name(of code: UInt8) -> String { Int(code) < values.count ? values[Int(code)][0] : "?" }

    /// The code of a stored English raw value (as the agent's state keeps them).
    public func code(ofStored raw: String) -> UInt8? {
        for (i, names) in values.enumerated() where names[0] == raw { return UInt8(i) }
        return nil
    }
}

/// 信用风险分类: A lowest risk … D highest; ordered by risk (A < D).
public enum RiskClass: String, Hashable, Sendable, CaseIterable, Codable, Comparable {
    case a = "A", b = "B", c = "C", d = "D"
    public var code: UInt8 { UInt8(Self.allCases.firstIndex(of: self)!) }
    public init?(code: UInt8) {
        guard Int(code) < Self.allCases.count else { return nil }
        self = Self.allCases[Int(code)]
    }
    public static func < (l: Self, r: Self) -> Bool { l.code < r.code }
}
