import Foundation
import SandboxCore
import SandboxPolicy
import SandboxWire

/// A ladder step that restricts trade (suspend, terminate), proposed by a platform's agent and
/// waiting for an officer (issue 12; the agent's CaseProposal, carried in its case item): what
/// the queue shows — the case, its evidence, the step's action and basis, how long it has waited
/// — and the officer's decision once made, until the agent's next case item reports it applied.
public struct Proposal: Sendable, Equatable, Encodable {
    public var platformID: String
    public var caseID: String
    public var uscc: String?
    public var platformMerchantID: String?
    public var ruleID: String
    public var ruleTitle: String?
    public var severity: String?
    public var caseState: String
    /// The rectification deadline the merchant missed.
    public var deadline: String?
    public var step: Int
    /// `suspend`, `terminate` or `takedown`.
    public var kind: String
    /// As the agent last reported: pending, deferred, confirmed, cancelled or lapsed.
    public var state: String
    public var firstProposedAt: String
    public var proposedAt: String
    public var deferredUntil: String?
    /// Whole days since it was first proposed (the queue's age).
    public var waitingDays: Int
    public var action: String?
    public var basis: String?
    public var reason: String?
    public var evidence: JSONValue?
    /// The regulator's decision on this proposal (it reaches the agent as a `confirmation`
    /// directive); nil while undecided.
    public var decision: ProposalDecisionRecord?

    enum CodingKeys: String, CodingKey {
        case uscc, severity, deadline, step, kind, state, action, basis, reason, evidence, decision
        case platformID = "platform_id", caseID = "case_id", platformMerchantID = "platform_merchant_id", ruleID = "rule_id"
        case ruleTitle = "rule_title", caseState = "case_state", firstProposedAt = "first_proposed_at"
        case proposedAt = "proposed_at", deferredUntil = "deferred_until", waitingDays = "waiting_days"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(platformID, forKey: .platformID); try c.encode(caseID, forKey: .caseID); try c.encode(uscc, forKey: .uscc)
        try c.encode(platformMerchantID, forKey: .platformMerchantID); try c.encode(ruleID, forKey: .ruleID)
        try c.encode(ruleTitle, forKey: .ruleTitle); try c.encode(severity, forKey: .severity)
        try c.encode(caseState, forKey: .caseState); try c.encode(deadline, forKey: .deadline); try c.encode(step, forKey: .step)
        try c.encode(kind, forKey: .kind); try c.encode(state, forKey: .state)
        try c.encode(firstProposedAt, forKey: .firstProposedAt); try c.encode(proposedAt, forKey: .proposedAt)
        try c.encode(deferredUntil, forKey: .deferredUntil); try c.encode(waitingDays, forKey: .waitingDays)
        try c.encode(action, forKey: .action); try c.encode(basis, forKey: .basis); try c.encode(reason, forKey: .reason)
        try c.encode(evidence, forKey: .evidence); try c.encode(decision, forKey: .decision)
    }
}

/// An officer's decision on a proposal, as the regulator recorded and sent it.
public struct ProposalDecisionRecord: Sendable, Equatable, Encodable {
    public var decision: String
    public var until: String?
    public var reason: String?
    public var decidedBy: String
    public var decidedAt: String
    public var directiveID: String

    enum CodingKeys: String, CodingKey {
        case decision, until, reason
        case decidedBy = "decided_by", decidedAt = "decided_at", directiveID = "directive_id"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(decision, forKey: .decision); try c.encode(until, forKey: .until); try c.encode(reason, forKey: .reason)
        try c.encode(decidedBy, forKey: .decidedBy); try c.encode(decidedAt, forKey: .decidedAt)
        try c.encode(directiveID, forKey: .directiveID)
    }
}

/// What an officer may decide on a proposed step, and what each needs.
public enum ProposalVerdict: String, Sendable, Decodable, CaseIterable {
    case confirm
    case `defer` = "defer"
    case cancel

    /// Why the decision cannot be taken as given; nil when it can. `today`: the officer's day.
    func problem(until: CivilDate?, reason: String?, today: CivilDate) -> String? {
        let reasoned = !(reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        switch self {
        case .confirm:
            return nil
        case .defer:
            guard let until else { return "a deferral needs `until`, the day (YYYY-MM-DD) the step is proposed again" }
            guard until > today else { return "`until` must be a day after today (\(today))" }
            guard today.days(until: until) <= 90 else { return "`until` may be at most 90 days ahead; decide again then" }
            return reasoned ? nil : "a deferral needs a `reason` (it goes into the case file)"
        case .cancel:
            return reasoned ? nil : "a cancellation needs a `reason` (it goes into the case file)"
        }
    }
}
