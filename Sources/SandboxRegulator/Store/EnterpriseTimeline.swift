/// What happened to one enterprise at the regulator beyond what the platforms filed, for its file
/// (一户一档): the directives it was sent with their receipts, the platforms' receipts to their
/// agents' own instructions, the officers' art. 33 decisions and the inspections of the draws.
/// Each is read from an index on the USCC (or, for receipts, the instruction's id).
public struct EnterpriseTimeline: Sendable, Equatable {
    public var directives: [TrackedDirective] = []
    /// Receipts to the agents' instructions, by `key(platform, instruction)`.
    public var instructionReceipts: [String: [FiledReceipt]] = [:]
    public var decisions: [Art33DecisionRecord] = []
    public var inspections: [InspectionResult] = []

    public static func key(_ platformID: String, _ instructionID: String) -> String { platformID + "\u{0}" + instructionID }
}
