/// What a pass decided, whole or one part of it (`PolicyPass.run(_:blockRows:deliver:)`); the agent
/// writes every part of a pass in one transaction (docs/policy.md §1).
public struct PolicyOutcome: Sendable {
    public var classDecisions: [ClassDecision] = []
    /// Rows whose stored state changed, with the new state.
    public var states: [Int: MerchantPolicyState] = [:]
    public var openedCases: [PolicyCase] = []
    /// Cases that existed before the pass and changed in it.
    public var changedCases: [PolicyCase] = []
    public var instructions: [PolicyInstruction] = []
    public var receiptChanges: [ReceiptStateChange] = []
    public var rosterDecisions: [RosterDecision] = []
    public var prompts: [PromptIssue] = []
    /// (merchant, prompt) episodes that ended (the condition was found false).
    public var episodesEnded: [(merchantID: String, promptID: String)] = []
    public var appliedDirectives: [String] = []
    /// For each row of `PolicyPassInput.explainRows` the agent does not propose: the admission
    /// criteria that did not hold (false or unknown), with their texts.
    public var unmetAdmission: [Int: [RosterDecision.Criterion]] = [:]
    public var nextCaseNumber = 0
    public var nextInstructionNumber = 0
    /// The next instant something is due (at the latest the next midnight).
    public var nextDue: Int64 = 0
    /// Per stage, seconds (for the log and the benchmark).
    public var timings: [(String, Double)] = []
    /// Every row's state after the pass, in the part that ends it (empty in the others): what the
    /// running agent keeps for its next pass.
    public var statesAfter: [MerchantPolicyState] = []

    public var isEmpty: Bool {
        classDecisions.isEmpty && states.isEmpty && openedCases.isEmpty && changedCases.isEmpty && instructions.isEmpty
            && receiptChanges.isEmpty && rosterDecisions.isEmpty && prompts.isEmpty && episodesEnded.isEmpty
            && appliedDirectives.isEmpty
    }

    /// Joins a later part of the same pass: its decisions after these; the part that ends the
    /// pass (the only one with a next due time) sets the numbers.
    public mutating func append(_ part: PolicyOutcome) {
        classDecisions += part.classDecisions
        states.merge(part.states) { _, later in later }
        openedCases += part.openedCases
        changedCases += part.changedCases
        instructions += part.instructions
        receiptChanges += part.receiptChanges
        rosterDecisions += part.rosterDecisions
        prompts += part.prompts
        episodesEnded += part.episodesEnded
        appliedDirectives += part.appliedDirectives
        unmetAdmission.merge(part.unmetAdmission) { _, later in later }
        timings += part.timings
        if part.nextDue != 0 {
            nextCaseNumber = part.nextCaseNumber
            nextInstructionNumber = part.nextInstructionNumber
            nextDue = part.nextDue
            statesAfter = part.statesAfter
        }
    }
}
