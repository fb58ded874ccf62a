import SandboxWire

/// One case as a platform's agent last sent it (a `case` feed item), for staff.
public struct CaseLead: Sendable, Equatable, Encodable {
    public var platformID: String
    public var caseID: String
    public var uscc: String?
    public var state: String
    public var ruleID: String
    public var packVersion: String?
    public var packSerial: Int64?
    public var updatedAt: String
    /// The item's data as sent: rule, severity, addressee, deadlines, lead, steps, closure.
    public var data: JSONValue

    enum CodingKeys: String, CodingKey {
        case platformID = "platform_id", caseID = "case_id", uscc, state, ruleID = "rule_id"
        case packVersion = "pack_version", packSerial = "pack_serial", updatedAt = "updated_at", data = "case"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(platformID, forKey: .platformID); try c.encode(caseID, forKey: .caseID); try c.encode(uscc, forKey: .uscc)
        try c.encode(state, forKey: .state); try c.encode(ruleID, forKey: .ruleID)
        try c.encode(packVersion, forKey: .packVersion); try c.encode(packSerial, forKey: .packSerial)
        try c.encode(updatedAt, forKey: .updatedAt); try c.encode(data, forKey: .data)
    }
}

/// Which cases GET /v1/admin/cases asks for.
public struct CaseFilter: Sendable, Equatable {
    /// `open` means not closed (a case past its deadline is still open); `closed` is every end state.
    public static let states: [String: [String]] = [
        "open": ["open", "overdue"],
        "overdue": ["overdue"],
        "closed": ["rectified", "rectified_late", "terminated", "ended", "withdrawn"],
    ]
    public var states: [String]?
    public var ruleID: String?
    public var uscc: String?

    public init(states: [String]? = nil, ruleID: String? = nil, uscc: String? = nil) {
        self.states = states; self.ruleID = ruleID; self.uscc = uscc
    }
}

/// GET /v1/admin/cases answer.
struct CaseList: Encodable {
    var cases: [CaseLead]
    var count: Int
}
