/// An officer's art. 33 decision as recorded (table `determinations`): on which case, what the
/// agent recommended, what was decided, by whom and when, with the note sent to the merchant.
public struct Art33DecisionRecord: Sendable, Equatable {
    public var platformID: String
    public var caseID: String
    public var recommended: String
    public var decision: String
    public var note: String?
    public var decidedBy: String
    public var role: String?
    public var decidedAt: Int64
    public var directiveID: String?
}
