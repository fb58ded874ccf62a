/// What the policy remembers per merchant between passes (docs/policy.md §11 `merchant_policy`):
/// enough for a full pass to tell whether anything changed without re-rendering anything.
///
/// A pass holds one for every merchant (469,000), so they are stored compactly behind the
/// properties: days as 32-bit numbers, the roster source as a code. With `Int?` days and a
/// `String?` source a state took 128 bytes (60 MB for 469,000), and copying one retained a
/// string (issue 16); now 40 (the days are `CompactDay`s).
public struct MerchantPolicyState: Sendable, Hashable {
    public var points: Int
    /// Hash of (class, points, contributing indicators and their points, pack serial): a class
    /// decision is recorded only when it changes.
    public var decisionHash: UInt64
    public var riskClass: RiskClass?
    public var member: Bool
    /// The regulator's roster decision for the enterprise is "not a member" (issue 12): `member`
    /// is then this agent's proposal only, and the merchant is not in the sandbox.
    public var excludedByRegulator: Bool
    private var sourceCode: UInt8

    @CompactDay public var classSince: Int?
    @CompactDay public var memberSince: Int?
    /// First day of the current unbroken run of days on which admission held.
    @CompactDay public var eligibleSince: Int?
    /// Cooling period after the last removal (0: none); nil if never removed.
    @CompactDay public var readmitAfterDays: Int?
    /// A regulator removal keeps the merchant out until this day (exclusive).
    @CompactDay public var holdUntilDay: Int?
    /// Who made the last roster decision: "agent" or "regulator" (any other text is the agent's).
    public var source: String? {
        get { sourceCode == 0 ? nil : sourceCode == 2 ? "regulator" : "agent" }
        set { sourceCode = newValue == nil ? 0 : newValue == "regulator" ? 2 : 1 }
    }
    /// In the sandbox: proposed by this agent and not excluded by the regulator's decision.
    public var applied: Bool { member && !excludedByRegulator }

    public init(riskClass: RiskClass? = nil, points: Int = 0, decisionHash: UInt64 = 0, classSince: Int? = nil,
                member: Bool = false, memberSince: Int? = nil, eligibleSince: Int? = nil, readmitAfterDays: Int? = nil,
                holdUntilDay: Int? = nil, source: String? = nil, excludedByRegulator: Bool = false) {
        self.points = points; self.decisionHash = decisionHash
        self.classSince = classSince; self.memberSince = memberSince; self.eligibleSince = eligibleSince
        self.readmitAfterDays = readmitAfterDays; self.holdUntilDay = holdUntilDay
        self.riskClass = riskClass; self.member = member; self.excludedByRegulator = excludedByRegulator
        sourceCode = 0
        self.source = source
    }

    public static let initial = MerchantPolicyState()
}

/// A class decision with its explanation (docs/policy.md §4.3).
public struct ClassDecision: Sendable, Hashable {
    public struct Contribution: Sendable, Hashable {
        public var id: String
        public var family: String
        public var title: String
        /// `field → value` for `when` indicators (finding codes as `findings`), or the value and band.
        public var values: [(String, String)]
        public var bandFrom: String?
        public var points: Int
        public static func == (a: Self, b: Self) -> Bool {
            a.id == b.id && a.points == b.points && a.bandFrom == b.bandFrom && a.values.map { $0.0 + "=" + $0.1 } == b.values.map { $0.0 + "=" + $0.1 }
        }
        public func hash(into h: inout Hasher) { h.combine(id); h.combine(points) }
    }
    public var row: Int
    public var merchantID: String
    public var riskClass: RiskClass
    public var className: String
    public var points: Int
    public var previousClass: RiskClass?
    public var contributions: [Contribution]
    public var floors: [(id: String, floor: RiskClass)]
    public var unknown: [(id: String, missing: [String])]
    public var decisionHash: UInt64
    /// The first day of the class (the merchant's state after the decision).
    public var classSince: Int? = nil

    public static func == (a: Self, b: Self) -> Bool {
        a.row == b.row && a.riskClass == b.riskClass && a.points == b.points && a.contributions == b.contributions
    }
    public func hash(into h: inout Hasher) { h.combine(row); h.combine(points) }
}

/// An admission or removal (docs/policy.md §5).
public struct RosterDecision: Sendable, Hashable {
    public enum Kind: String, Sendable { case admitted, removed }
    public struct Criterion: Sendable, Hashable {
        public var id: String
        public var text: String
        /// true / false / nil (unknown).
        public var value: Bool?
        public var holds: Bool
    }
    public var row: Int
    public var merchantID: String
    public var decision: Kind
    public var source: String
    public var criteria: [Criterion]
    public var directiveID: String?
    public var memberSince: Int?
    public var readmitAfterDays: Int?
    /// Removed: the first day a re-admission is possible.
    public var readmitNotBefore: Int?
    public var reason: String?
    /// Whether the decision changes who is in the sandbox: false for a proposal the regulator's
    /// roster decision keeps from applying (the agent admits, the regulator has decided "not a
    /// member"), and for the agent's removal of a merchant the regulator had already excluded.
    public var applies = true
}

/// A prompt issued to one merchant in one window (docs/policy.md §7).
public struct PromptIssue: Sendable, Hashable {
    public var row: Int
    public var merchantID: String
    public var promptID: String
    public var windowKey: String
    public var windowFrom: Int?
    public var windowTo: Int?
    public var cause: String?
    public var instructionID: String
    public var episode: Bool
}

/// What the ledger says about one (merchant, prompt). The ledger holds one for each of its entries
/// (131,506 after a first pass at 469,000 merchants): the fields are in the order that packs them
/// in 40 bytes (with the flag before the day, 48).
public struct PromptLedgerState: Sendable, Hashable {
    public var windowKeys: PromptWindowKeys
    public var lastIssueDay: Int?
    public var episodeOpen: Bool
    public init(windowKeys: PromptWindowKeys = [], episodeOpen: Bool = false, lastIssueDay: Int? = nil) {
        self.windowKeys = windowKeys; self.episodeOpen = episodeOpen; self.lastIssueDay = lastIssueDay
    }
}

/// A regulator `sandbox` directive waiting to be applied by the next pass (docs/policy.md §5.2).
public struct SandboxDirective: Sendable, Hashable {
    public enum Action: String, Sendable {
        /// A staff override: admit (waiving the criteria, as the pack says) or remove with a hold.
        case admit, remove
        /// The regulator's roster decision for the enterprise (docs/policy.md §5.3): the agent's
        /// own decision is its proposal, applied only while the regulator has not decided
        /// "not a member". Sent when a proposal and the decision disagree, and when it changes.
        case decidedMember = "member", decidedNotMember = "not_member"
    }
    public var id: String
    public var merchantID: String
    public var action: Action
    public var reason: String?
    public var holdDays: Int?
    public init(id: String, merchantID: String, action: Action, reason: String?, holdDays: Int?) {
        self.id = id; self.merchantID = merchantID; self.action = action; self.reason = reason; self.holdDays = holdDays
    }
}
