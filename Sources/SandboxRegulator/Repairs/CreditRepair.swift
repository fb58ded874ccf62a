/// A credit repair application and its decision: application (信用修复申请书 + 守信承诺书) →
/// review by the listing authority → decision within the limit → the list entry ends.
public struct CreditRepair: Sendable, Equatable, Encodable {
    public enum State: String, Sendable, Codable { case pending, approved, rejected }

    public var id: String
    public var uscc: String
    public var list: RepairList
    /// Who applied: the enterprise's name or its agent's, as the application says.
    public var applicant: String
    /// Entered by staff, or received from a platform.
    public var source: String
    public var applicationLetter: Bool
    public var commitmentLetter: Bool
    public var note: String?
    public var receivedAt: String
    /// The last day of the decision limit (working days from receipt).
    public var decideBy: String
    public var state: State
    public var decidedBy: String?
    public var decidedAt: String?
    public var reason: String?
    /// The registry cursor of the change an approval made, which every agent receives.
    public var registryCursor: Int64?
    /// Pending past `decideBy`.
    public var overdue: Bool

    enum CodingKeys: String, CodingKey {
        case id, uscc, list, applicant, source, note, state, reason, overdue
        case applicationLetter = "application_letter", commitmentLetter = "commitment_letter"
        case receivedAt = "received_at", decideBy = "decide_by", decidedBy = "decided_by", decidedAt = "decided_at"
        case registryCursor = "registry_cursor"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(uscc, forKey: .uscc); try c.encode(list, forKey: .list)
        try c.encode(applicant, forKey: .applicant); try c.encode(source, forKey: .source); try c.encode(note, forKey: .note)
        try c.encode(state, forKey: .state); try c.encode(reason, forKey: .reason); try c.encode(overdue, forKey: .overdue)
        try c.encode(applicationLetter, forKey: .applicationLetter); try c.encode(commitmentLetter, forKey: .commitmentLetter)
        try c.encode(receivedAt, forKey: .receivedAt); try c.encode(decideBy, forKey: .decideBy)
        try c.encode(decidedBy, forKey: .decidedBy); try c.encode(decidedAt, forKey: .decidedAt)
        try c.encode(registryCursor, forKey: .registryCursor)
    }
}
