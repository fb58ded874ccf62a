/// An agent's art. 33 recommendation on a rectified case, as an officer sees it: the agent's
/// criteria, the regulator's own judgment of "first" across every platform, and the decision
/// once made.
public struct Recommendation: Sendable, Equatable, Encodable {
    public var platformID: String
    public var caseID: String
    public var uscc: String?
    public var platformMerchantID: String?
    public var ruleID: String
    public var severity: String?
    /// The agent's recommendation: no_penalty or may_not_penalize.
    public var recommended: String
    public var rectifiedAt: String?
    /// What the agent saw on its own platform.
    public var firstOnPlatform: Bool?
    /// No earlier case of the same rule for the USCC on any platform in the 365 days before this
    /// one opened, and no lead the regulator closed on it in that time.
    public var firstHere: Bool
    /// The earlier cases (platform/case) that make it not first.
    public var earlierCases: [String]
    /// When the case opened (the year before it is where "first" looks); not in the JSON.
    public var openedAt: String?
    public var educationNote: String?
    public var decision: String?
    public var decidedBy: String?
    public var decidedAt: String?
    public var directiveID: String?

    enum CodingKeys: String, CodingKey {
        case uscc, severity, recommended, decision
        case platformID = "platform_id", caseID = "case_id", platformMerchantID = "platform_merchant_id", ruleID = "rule_id"
        case rectifiedAt = "rectified_at", firstOnPlatform = "first_on_platform", firstHere = "first_here"
        case earlierCases = "earlier_cases", educationNote = "education_note", decidedBy = "decided_by"
        case decidedAt = "decided_at", directiveID = "directive_id"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(platformID, forKey: .platformID); try c.encode(caseID, forKey: .caseID); try c.encode(uscc, forKey: .uscc)
        try c.encode(platformMerchantID, forKey: .platformMerchantID); try c.encode(ruleID, forKey: .ruleID)
        try c.encode(severity, forKey: .severity); try c.encode(recommended, forKey: .recommended)
        try c.encode(rectifiedAt, forKey: .rectifiedAt); try c.encode(firstOnPlatform, forKey: .firstOnPlatform)
        try c.encode(firstHere, forKey: .firstHere); try c.encode(earlierCases, forKey: .earlierCases)
        try c.encode(educationNote, forKey: .educationNote); try c.encode(decision, forKey: .decision)
        try c.encode(decidedBy, forKey: .decidedBy); try c.encode(decidedAt, forKey: .decidedAt)
        try c.encode(directiveID, forKey: .directiveID)
    }
}
