import SandboxCore

/// Everything one policy pass needs (docs/policy.md §1): the pack, the instant, the facts of
/// every merchant, and what earlier passes decided. The pass is a pure function of this.
public struct PolicyPassInput: Sendable {
    public var pack: RulePack
    public var platformID: String
    public var now: Int64
    /// Rows = merchants; must carry `merchant.platform_merchant_id` and `merchant.uscc`.
    public var facts: PolicyFacts
    /// Per row; `.initial` for a merchant the policy has not seen.
    public var states: [MerchantPolicyState]
    /// Open cases, plus terminated cases not cleared yet (`rectifiedAt` nil): those are watched
    /// for a later clearing and keep their rule from opening a new case (docs/policy.md §6.6).
    public var openCases: [PolicyCase]
    /// The agent's way in: every watched case as a summary, and `loadCase` for the few a pass
    /// touches. Empty: derived from `openCases` (tests and small populations).
    public var caseIndex: [CaseSummary] = []
    public var loadCase: @Sendable (String) -> PolicyCase? = { _ in nil }
    /// The case of each instruction quoted by `receipts` (the agent looks them up).
    public var receiptCases: [String: String] = [:]
    /// `merchant ␟ rule ␟ event id` of every event case ever opened (one case per event, never reopened).
    public var eventCaseKeys: Set<String>
    public var awaited: [AwaitedInstruction]
    /// Receipts not matched yet.
    public var receipts: [ReceiptRecord]
    /// What was issued, by prompt and merchant.
    public var ledger: PromptLedger
    public var directives: [SandboxDirective]
    /// Officers' decisions on proposed steps (`confirmation` directives) not applied yet.
    public var proposalDecisions: [ProposalDecision] = []
    public var nextCaseNumber: Int
    public var nextInstructionNumber: Int
    /// The evidence of a merchant's current finding (row, code), for case evidence.
    public var findingEvidence: @Sendable (Int, String) -> [PolicyEvidence]
    /// Merchant id → row, when the caller already has it (the agent's loader builds it anyway);
    /// nil: the pass builds it from `merchant.platform_merchant_id`.
    public var rowOf: ByteKeyTable? = nil
    /// Rows whose unmet admission criteria the outcome lists (`policy explain`: why a merchant is
    /// not in the sandbox); empty in the running agent.
    public var explainRows: Set<Int> = []
    /// A text field's value for evidence when the facts hold only its presence (row, field).
    public var fieldText: @Sendable (Int, ConditionField) -> String? = { _, _ in nil }
    /// Ids of cases (not withdrawn) of a subject — and of a rule, unless nil — opened on a day in [from, before).
    public var earlierCases: @Sendable (_ subject: String, _ ruleID: String?, _ fromDay: Int, _ beforeDay: Int) -> [String]

    public init(pack: RulePack, platformID: String, now: Int64, facts: PolicyFacts, states: [MerchantPolicyState],
                openCases: [PolicyCase] = [], eventCaseKeys: Set<String> = [], awaited: [AwaitedInstruction] = [],
                receipts: [ReceiptRecord] = [], ledger: PromptLedger = PromptLedger(), directives: [SandboxDirective] = [],
                nextCaseNumber: Int = 1, nextInstructionNumber: Int = 1,
                findingEvidence: @escaping @Sendable (Int, String) -> [PolicyEvidence] = { _, _ in [] },
                earlierCases: @escaping @Sendable (String, String?, Int, Int) -> [String] = { _, _, _, _ in [] }) {
        self.pack = pack; self.platformID = platformID; self.now = now; self.facts = facts; self.states = states
        self.openCases = openCases; self.eventCaseKeys = eventCaseKeys; self.awaited = awaited; self.receipts = receipts
        self.ledger = ledger; self.directives = directives; self.nextCaseNumber = nextCaseNumber
        self.nextInstructionNumber = nextInstructionNumber; self.findingEvidence = findingEvidence
        self.earlierCases = earlierCases
    }

    static let separator = "\u{1F}"
    public static func eventCaseKey(_ merchantID: String, _ ruleID: String, _ eventID: String) -> String {
        merchantID + separator + ruleID + separator + eventID
    }
}
