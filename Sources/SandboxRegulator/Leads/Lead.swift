/// A lead in a district bureau's queue: the platform's case (its rule, deadline, state) and the
/// bureau's offline work on it (stage, officer, steps).
public struct Lead: Sendable, Equatable, Encodable {
    public var platformID: String
    public var caseID: String
    public var uscc: String?
    public var ruleID: String
    public var ruleTitle: String?
    public var severity: String?
    /// The platform's case state: open, overdue, rectified, …
    public var caseState: String
    public var openedAt: String?
    public var deadline: String?
    /// The platform's case is past its deadline, or its deadline is before today.
    public var overdue: Bool
    public var stage: LeadStage
    public var assignee: String?
    /// When the bureau last recorded a step (RFC 3339), nil while new.
    public var stageSince: String?
    /// The recorded steps, oldest first (in the detail view and the profile; empty in queues).
    public var steps: [LeadStepRecord]

    enum CodingKeys: String, CodingKey {
        case platformID = "platform_id", caseID = "case_id", uscc, ruleID = "rule_id", ruleTitle = "rule_title"
        case severity, caseState = "case_state", openedAt = "opened_at", deadline, overdue, stage, assignee
        case stageSince = "stage_since", steps
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(platformID, forKey: .platformID); try c.encode(caseID, forKey: .caseID)
        try c.encode(uscc, forKey: .uscc); try c.encode(ruleID, forKey: .ruleID); try c.encode(ruleTitle, forKey: .ruleTitle)
        try c.encode(severity, forKey: .severity); try c.encode(caseState, forKey: .caseState)
        try c.encode(openedAt, forKey: .openedAt); try c.encode(deadline, forKey: .deadline)
        try c.encode(overdue, forKey: .overdue); try c.encode(stage, forKey: .stage); try c.encode(assignee, forKey: .assignee)
        try c.encode(stageSince, forKey: .stageSince); try c.encode(steps, forKey: .steps)
    }
}

/// A recorded step: who did what, when, with what result. Also a line of the leads export.
public struct LeadStepRecord: Sendable, Equatable, Encodable {
    public var seq: Int64
    public var platformID: String
    public var caseID: String
    public var uscc: String?
    public var at: String
    public var officer: String
    public var role: String?
    public var step: LeadStep
    public var stageAfter: LeadStage

    enum CodingKeys: String, CodingKey {
        case seq, platformID = "platform_id", caseID = "case_id", uscc, at, officer, role, action, assignee, note
        case transferredTo = "transferred_to", measure, penaltyFen = "penalty_fen", stageAfter = "stage_after"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seq, forKey: .seq); try c.encode(platformID, forKey: .platformID); try c.encode(caseID, forKey: .caseID)
        try c.encode(uscc, forKey: .uscc); try c.encode(at, forKey: .at); try c.encode(officer, forKey: .officer)
        try c.encode(role, forKey: .role); try c.encode(step.action, forKey: .action); try c.encode(step.assignee, forKey: .assignee)
        try c.encode(step.note, forKey: .note); try c.encode(step.transferredTo, forKey: .transferredTo)
        try c.encode(step.measure, forKey: .measure); try c.encode(step.penaltyFen, forKey: .penaltyFen)
        try c.encode(stageAfter, forKey: .stageAfter)
    }
}

/// Which leads a queue asks for.
public struct LeadFilter: Sendable {
    public var jurisdiction: Jurisdiction
    public var stage: LeadStage?
    /// Only leads still to be worked (not in a final stage).
    public var pending: Bool
    public var assignee: String?
    public var uscc: String?
    public init(jurisdiction: Jurisdiction, stage: LeadStage? = nil, pending: Bool = false, assignee: String? = nil,
                uscc: String? = nil) {
        self.jurisdiction = jurisdiction; self.stage = stage; self.pending = pending; self.assignee = assignee; self.uscc = uscc
    }
}
