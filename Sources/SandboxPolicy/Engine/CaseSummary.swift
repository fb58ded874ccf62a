import SandboxCore

/// What a pass needs of a case it does not touch (docs/policy.md §13.1): enough to block a new
/// case of its rule, count it for the roster, see a suspension in force and know when it is due.
/// The agent keeps these as indexed columns, so a pass reads tens of thousands of open cases
/// without decoding them; only the cases something happens to are loaded whole.
public struct CaseSummary: Sendable, Hashable {
    public var id: String
    public var merchantID: String
    public var ruleID: String
    public var state: PolicyCase.State
    public var severity: FindingSeverity
    public var addressee: PackAddressee
    public var suspensionInForce: Bool
    /// A terminated case whose condition has not been found cleared (still watched).
    public var watched: Bool
    public var nextDueAt: Int64?

    public init(id: String, merchantID: String, ruleID: String, state: PolicyCase.State, severity: FindingSeverity,
                addressee: PackAddressee, suspensionInForce: Bool, watched: Bool, nextDueAt: Int64?) {
        self.id = id; self.merchantID = merchantID; self.ruleID = ruleID; self.state = state; self.severity = severity
        self.addressee = addressee; self.suspensionInForce = suspensionInForce; self.watched = watched; self.nextDueAt = nextDueAt
    }

    public init(_ c: PolicyCase, calendar: PolicyCalendar) {
        self.init(id: c.id, merchantID: c.merchantID, ruleID: c.ruleID, state: c.state, severity: c.rule.severity,
                  addressee: c.rule.addressee, suspensionInForce: c.suspensionInForce, watched: c.isWatched,
                  nextDueAt: c.nextDue(calendar: calendar))
    }
}
