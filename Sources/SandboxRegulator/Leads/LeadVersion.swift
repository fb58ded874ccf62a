import SandboxCore
import SandboxWire

/// One version of a lead as a platform's agent sent it (a `case` item: opened, overdue,
/// rectified, proposals, receipts), in the order the regulator accepted them — with the bureau's
/// steps (LeadStepRecord), what an existing case system takes in (GET /v1/admin/leads/changes).
public struct LeadVersion: Sendable, Equatable, Encodable {
    /// The version's place in the log: pass the last one as `after`.
    public var id: Int64
    public var platformID: String
    public var caseID: String
    public var uscc: String?
    public var ruleID: String?
    public var state: String?
    /// When the regulator accepted it (RFC 3339).
    public var receivedAt: String
    /// The case item as sent (docs/outbox.md: case_id, rule, state, opened_at, deadline, …).
    public var lead: JSONValue

    enum CodingKeys: String, CodingKey {
        case id, platformID = "platform_id", caseID = "case_id", uscc, ruleID = "rule_id", state
        case receivedAt = "received_at", lead = "case"
    }

    // Explicit so that absent values are `null`, not missing members.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(platformID, forKey: .platformID); try c.encode(caseID, forKey: .caseID)
        try c.encode(uscc, forKey: .uscc); try c.encode(ruleID, forKey: .ruleID); try c.encode(state, forKey: .state)
        try c.encode(receivedAt, forKey: .receivedAt); try c.encode(lead, forKey: .lead)
    }
}
