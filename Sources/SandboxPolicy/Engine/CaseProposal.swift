/// A ladder step that restricts trade, proposed to an officer instead of issued (issue 12,
/// DOMAIN.md: suspending or stopping a merchant's service is the administrative organ's decision,
/// and the agent is not one). The pack says per step (`confirm = "staff"`). The case waits at the
/// step with its evidence in the case item the regulator receives; an officer's decision comes
/// back as a `confirmation` directive (ProposalDecision):
/// - confirm: the next pass issues the step as the ladder would have;
/// - defer to a day: proposed again on that day;
/// - cancel, with a reason: the ladder stops at this step; the case stays open (the officers work
///   it as a lead) until it is rectified or ends.
/// A proposal still waiting when the case closes lapses.
public struct CaseProposal: Sendable, Codable, Hashable {
    public enum State: String, Sendable, Codable, CaseIterable {
        case pending, deferred, confirmed, cancelled, lapsed
        /// Waiting for an officer (now or after the deferral).
        public var isWaiting: Bool { self == .pending || self == .deferred }
    }

    /// The ladder step proposed (1-based, as instructions number them).
    public var step: Int
    public var kind: LadderStepKind
    public var state: State
    /// When first proposed: how long officers have left it unanswered.
    public var firstProposedAt: Int64
    /// When last proposed (again after a deferral).
    public var proposedAt: Int64
    public var deferredUntilDay: Int?
    public var decidedBy: String?
    public var decidedAt: Int64?
    public var reason: String?
    /// The `confirmation` directive that decided it.
    public var directiveID: String?

    public init(step: Int, kind: LadderStepKind, state: State, firstProposedAt: Int64, proposedAt: Int64,
                deferredUntilDay: Int? = nil, decidedBy: String? = nil, decidedAt: Int64? = nil, reason: String? = nil,
                directiveID: String? = nil) {
        self.step = step; self.kind = kind; self.state = state; self.firstProposedAt = firstProposedAt
        self.proposedAt = proposedAt; self.deferredUntilDay = deferredUntilDay; self.decidedBy = decidedBy
        self.decidedAt = decidedAt; self.reason = reason; self.directiveID = directiveID
    }
}
