/// An officer's decision on a case's proposed step, as the regulator sends it (a `confirmation`
/// directive, docs/policy.md §6.5): the next pass applies it to the case's proposal if the
/// proposal still waits at that step, and ignores it otherwise (the case moved on meanwhile).
public struct ProposalDecision: Sendable, Hashable {
    public enum Decision: String, Sendable, CaseIterable {
        case confirm
        case `defer` = "defer"
        case cancel
    }

    /// The directive's id: marked applied once a pass has seen it.
    public var directiveID: String
    public var caseID: String
    public var step: Int
    public var decision: Decision
    /// `defer`: the day it is proposed again.
    public var untilDay: Int?
    public var reason: String?
    public var officer: String?
    public var decidedAt: Int64

    public init(directiveID: String, caseID: String, step: Int, decision: Decision, untilDay: Int? = nil,
                reason: String? = nil, officer: String? = nil, decidedAt: Int64) {
        self.directiveID = directiveID; self.caseID = caseID; self.step = step; self.decision = decision
        self.untilDay = untilDay; self.reason = reason; self.officer = officer; self.decidedAt = decidedAt
    }
}

/// Whether a ladder step is issued by the agent when due (`auto`) or proposed to an officer
/// first (`staff`), as the pack's `[[ladder.step]] confirm` says.
public enum StepConfirmation: String, Sendable, Codable, CaseIterable {
    case auto, staff
}
