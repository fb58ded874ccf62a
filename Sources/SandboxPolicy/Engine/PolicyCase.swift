import SandboxCore

/// One case: a trigger that fired for a merchant, from the lead and the guidance to its end
/// (docs/policy.md §6). It carries a snapshot of its rule, so a newer pack never moves a deadline
/// already given.
public struct PolicyCase: Sendable, Codable, Hashable {
    public enum State: String, Sendable, Codable, CaseIterable {
        case open, overdue, rectified, rectifiedLate = "rectified_late", terminated, ended, withdrawn
        public var isOpen: Bool { self == .open || self == .overdue }
    }

    public var id: String
    public var merchantID: String
    public var uscc: String?
    /// The USCC, else `pm:` + the storefront id: whose first-violation history counts.
    public var subject: String
    public var ruleID: String
    /// `""`, or the event id of an event trigger's case.
    public var caseKey: String
    public var rule: CaseRuleSnapshot
    public var evidence: [PolicyEvidence]
    public var state: State
    public var openedAt: Int64
    public var openedDay: Int
    public var deadlineDay: Int?
    public var stepsIssued: Int
    public var lastStepDay: Int?
    public var suspensionInForce: Bool
    public var rectifiedAt: Int64?
    public var closedAt: Int64?
    public var closeReason: String?
    public var determination: CaseDetermination?
    /// Guidance first, then each ladder step's instruction, then a reinstatement if any.
    public var instructionIDs: [String]
    public var packSerial: Int
    /// The step waiting for an officer, or the last one decided (CaseProposal); nil when the
    /// ladder has not reached a step that needs one.
    public var proposal: CaseProposal? = nil

    public init(id: String, merchantID: String, uscc: String?, subject: String, ruleID: String, caseKey: String,
                rule: CaseRuleSnapshot, evidence: [PolicyEvidence], state: State, openedAt: Int64, openedDay: Int,
                deadlineDay: Int?, stepsIssued: Int, lastStepDay: Int?, suspensionInForce: Bool, rectifiedAt: Int64?,
                closedAt: Int64?, closeReason: String?, determination: CaseDetermination?, instructionIDs: [String],
                packSerial: Int, proposal: CaseProposal? = nil) {
        self.id = id; self.merchantID = merchantID; self.uscc = uscc; self.subject = subject; self.ruleID = ruleID
        self.caseKey = caseKey; self.rule = rule; self.evidence = evidence; self.state = state; self.openedAt = openedAt
        self.openedDay = openedDay; self.deadlineDay = deadlineDay; self.stepsIssued = stepsIssued
        self.lastStepDay = lastStepDay; self.suspensionInForce = suspensionInForce; self.rectifiedAt = rectifiedAt
        self.closedAt = closedAt; self.closeReason = closeReason; self.determination = determination
        self.instructionIDs = instructionIDs; self.packSerial = packSerial; self.proposal = proposal
    }

    /// When something is due next for this case (the deadline running out, the next step); nil:
    /// nothing (closed, no deadline, or the ladder is done).
    /// Still watched by the pass: open, or terminated while its condition holds (docs/policy.md §6.6).
    public var isWatched: Bool { state.isOpen || (state == .terminated && rectifiedAt == nil) }

    public func nextDue(calendar: PolicyCalendar) -> Int64? {
        guard state.isOpen, let deadline = deadlineDay else { return nil }
        if state == .open { return PolicyCalendar.end(ofDay: deadline) }
        guard stepsIssued < rule.steps.count, !ladderStopped else { return nil }
        if let p = proposal, p.step == stepsIssued + 1 {
            // Waiting for an officer: the decision's directive touches the case, not the clock;
            // a deferral is due again on its day.
            switch p.state {
            case .deferred: return p.deferredUntilDay.map(PolicyCalendar.startOf(day:))
            case .pending, .cancelled, .lapsed: return nil
            case .confirmed: break
            }
        }
        return PolicyCalendar.startOf(day: dueDayOfNextStep(calendar: calendar)!)
    }

    /// An officer cancelled the step the ladder waits at: no further step is issued or proposed.
    public var ladderStopped: Bool { proposal.map { $0.state == .cancelled && $0.step == stepsIssued + 1 } ?? false }

    /// The day the next ladder step is due (issued at the first pass on or after it).
    public func dueDayOfNextStep(calendar: PolicyCalendar) -> Int? {
        guard let deadline = deadlineDay, stepsIssued < rule.steps.count else { return nil }
        let step = rule.steps[stepsIssued]
        let base = stepsIssued == 0 ? deadline : (lastStepDay ?? deadline)
        return calendar.lastDay(from: base, days: step.afterDays) + 1
    }
}

/// What a case keeps of its rule at opening.
public struct CaseRuleSnapshot: Sendable, Codable, Hashable {
    public var title: String
    public var severity: FindingSeverity
    public var addressee: PackAddressee
    public var reason: String
    public var action: String
    public var basis: String
    public var deadlineDays: Int?
    public var clearsBy: PackTrigger.ClearsBy
    public var ladderID: String?
    public var steps: [PackLadder.Step]
    public var packVersion: String

    public init(title: String, severity: FindingSeverity, addressee: PackAddressee, reason: String, action: String,
                basis: String, deadlineDays: Int?, clearsBy: PackTrigger.ClearsBy, ladderID: String?, steps: [PackLadder.Step],
                packVersion: String) {
        self.title = title; self.severity = severity; self.addressee = addressee; self.reason = reason; self.action = action
        self.basis = basis; self.deadlineDays = deadlineDays; self.clearsBy = clearsBy; self.ladderID = ladderID
        self.steps = steps; self.packVersion = packVersion
    }
}

/// One piece of evidence as instructions carry it: which field, what was expected, what was
/// found, and where it comes from (a finding code, `merchant`, `registry`, `event`, `case`).
public struct PolicyEvidence: Sendable, Codable, Hashable {
    public var field: String
    public var expected: String?
    public var found: String?
    public var source: String
    public init(field: String, expected: String?, found: String?, source: String) {
        self.field = field; self.expected = expected; self.found = found; self.source = source
    }
}

/// The no-penalty proposal of 行政处罚法 art. 33 for a rectified case (docs/policy.md §6.4).
public struct CaseDetermination: Sendable, Codable, Hashable {
    public enum Result: String, Sendable, Codable { case noPenalty = "no_penalty", mayNotPenalize = "may_not_penalize", none, notApplicable = "not_applicable" }
    public var result: Result
    public var basis: String
    public var severityHolds: Bool
    public var first: Bool
    public var earlierCases: [String]
    public var inTime: Bool
    public var rectifiedOn: Int
    public var deadlineDay: Int?
    public var harmEvents: Int
    public var noHarm: Bool
    public var note: String?

    public init(result: Result, basis: String, severityHolds: Bool, first: Bool, earlierCases: [String], inTime: Bool,
                rectifiedOn: Int, deadlineDay: Int?, harmEvents: Int, noHarm: Bool, note: String?) {
        self.result = result; self.basis = basis; self.severityHolds = severityHolds; self.first = first
        self.earlierCases = earlierCases; self.inTime = inTime; self.rectifiedOn = rectifiedOn; self.deadlineDay = deadlineDay
        self.harmEvents = harmEvents; self.noHarm = noHarm; self.note = note
    }
}
