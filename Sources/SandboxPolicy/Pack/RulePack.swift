import SandboxCore

/// A compiled rule pack (docs/policy.md §2.2): every condition typed, every reference resolved.
/// The code that runs the policy reads only this; it knows no rule id.
public struct RulePack: Sendable {
    public var header: PackIdentity
    /// 民法典 art. 203: a deadline on one of these days moves to the next day not listed.
    public var nonWorkingDays: Set<Int>
    public var verification: VerificationPolicy
    public var appliesTo: TypedCondition
    public var indicators: [PackIndicator]
    public var classes: [PackClass]
    public var triggers: [PackTrigger]
    public var guidance: PackGuidance
    public var ladders: [String: PackLadder]
    public var reinstate: PackReinstate
    public var determination: PackDetermination
    public var roster: PackRoster
    public var prompts: [PackPrompt]
    public var inspection: PackInspection

    /// `chengdu-2026.1`: stamped on everything the agent sends.
    public var packVersion: String { header.packVersion }

    public func prompt(_ id: String) -> PackPrompt? { prompts.first { $0.id == id } }
}

public struct PackIdentity: Hashable, Sendable {
    public var format: Int
    public var id: String
    public var version: String
    public var serial: Int
    public var title: String
    public var issuer: String
    public var effectiveFrom: CivilDate
    public var description: String?
    public var packVersion: String { "\(id)-\(version)" }
}

public struct PackIndicator: Sendable {
    public enum Rule: Sendable {
        case when(TypedCondition, points: Int)
        case value(TypedCondition, bands: [Band])
    }
    public struct Band: Hashable, Sendable {
        public var from: Int64   // hundredths
        public var points: Int
    }
    public var id: String
    public var family: String
    public var title: String
    public var rule: Rule
    public var floor: RiskClass?
    public var basis: String?
}

public struct PackClass: Sendable {
    public var id: RiskClass
    public var name: String
    /// nil on the last class.
    public var maxPoints: Int?
    public var description: String?
}

public enum PackAddressee: String, Sendable, Codable, CaseIterable { case merchant, platform }

public struct PackTrigger: Sendable {
    public enum Condition: Sendable {
        case merchant(TypedCondition)
        /// One case per event whose `where` holds, for events that occurred within `withinDays`.
        case events(filter: TypedCondition, withinDays: Int)
    }
    public enum Response: String, Sendable, CaseIterable { case `case`, prompt }
    public enum ClearsBy: String, Sendable, Codable, CaseIterable { case condition, receipt }

    public var id: String
    public var title: String
    public var severity: FindingSeverity
    public var addressee: PackAddressee
    public var response: Response
    public var condition: Condition
    public var deadlineDays: Int?
    /// nil: `ladder = "none"` (never escalates).
    public var ladder: String?
    public var clearsBy: ClearsBy
    public var prompt: String?
    public var reason: String
    public var action: String
    public var basis: String
    public var evidence: [String]
    /// Instead of guidance and a ladder, this step at once when the case opens (RL-05: an entity
    /// that no longer exists is not guided to rectify, the platform stops service; RL-04: goods
    /// that need a licence the merchant lacks are taken down).
    public var atOnce: LadderStepKind? = nil
}

public struct PackGuidance: Sendable {
    public var receiptDays: Int
    public var basis: String
}

/// What the platform is told to do, in the order a ladder may take them: 警示, 下架 (take down the
/// goods concerned, not the storefront), 暂停服务, 停止服务 (电子商务法 art. 29, 36).
public enum LadderStepKind: String, Sendable, Codable, CaseIterable { case warning, takedown, suspend, terminate }

public struct PackLadder: Sendable {
    public struct Step: Sendable, Codable, Hashable {
        public var kind: LadderStepKind
        public var afterDays: Int
        public var receiptDays: Int
        public var action: String
        public var basis: String
        /// `staff`: proposed to an officer and issued only when confirmed (CaseProposal).
        public var confirm: StepConfirmation = .auto

        public init(kind: LadderStepKind, afterDays: Int, receiptDays: Int, action: String, basis: String,
                    confirm: StepConfirmation = .auto) {
            self.kind = kind; self.afterDays = afterDays; self.receiptDays = receiptDays; self.action = action
            self.basis = basis; self.confirm = confirm
        }

        enum CodingKeys: String, CodingKey { case kind, afterDays, receiptDays, action, basis, confirm }

        /// Cases opened before steps had `confirm` keep their snapshot: absent is `auto`.
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            kind = try c.decode(LadderStepKind.self, forKey: .kind)
            afterDays = try c.decode(Int.self, forKey: .afterDays)
            receiptDays = try c.decode(Int.self, forKey: .receiptDays)
            action = try c.decode(String.self, forKey: .action)
            basis = try c.decode(String.self, forKey: .basis)
            confirm = try c.decodeIfPresent(StepConfirmation.self, forKey: .confirm) ?? .auto
        }
    }
    public var id: String
    public var title: String
    public var steps: [Step]
}

public struct PackReinstate: Sendable {
    public var receiptDays: Int
    public var action: String
    public var basis: String
}

public struct PackDetermination: Sendable {
    public enum FirstScope: String, Sendable, CaseIterable { case sameRule = "same_rule", anyRule = "any_rule" }
    public var basis: String
    public var lookbackDays: Int
    public var firstScope: FirstScope
    public var noPenaltySeverities: Set<FindingSeverity>
    public var harm: TypedCondition
    public var educationNote: String
    public var mayNotPenalizeSeverities: Set<FindingSeverity>
    public var seriousHarm: TypedCondition?
    public var mayNotPenalizeNote: String?
}

public struct PackCriterion: Sendable {
    public var id: String
    public var text: String
    public var when: TypedCondition
    /// Removal criteria: the cooling period before re-admission.
    public var readmitAfterDays: Int?
}

public struct PackRoster: Sendable {
    public var notifyPlatform: Bool
    public var basis: String
    public var priorityNote: String?
    public var admit: [PackCriterion]
    public var remove: [PackCriterion]
    public var regulatorRemovalHoldDays: Int
    public var admissionWaivesCriteria: Bool
    /// The regulator's decision per enterprise (docs/policy.md §5.3): a member only when every
    /// platform rates every storefront of it in one of these classes (Chengdu: A)…
    public var admittedClasses: Set<String> = ["A"]
    /// …and it is registered in one of these divisions (USCC characters 3–8 prefixes; Chengdu
    /// 5101: the seed's 本地企业); empty: anywhere.
    public var localDivisions: [String] = []
}

public struct PackPrompt: Sendable {
    public enum Window: Hashable, Sendable {
        /// One window per calendar year, MM-DD to MM-DD inclusive.
        case annual(fromMonth: Int, fromDay: Int, toMonth: Int, toDay: Int)
        case episode
        case rolling(days: Int)
    }
    public var id: String
    public var title: String
    public var addressee: PackAddressee
    public var when: TypedCondition
    public var window: Window
    public var text: String
    public var basis: String
}

public struct PackInspection: Sendable {
    public var basis: String
    public var inspectorsPerSubject: Int
    /// Stratum (`sandbox`, `A`…`D`) → ratio in basis points (percent × 100).
    public var ratioBasisPoints: [String: Int]
    /// Frequency as well as ratio: an enterprise with an inspection result recorded within this
    /// many days before the draw's day is not drawn again; nil: no such rule.
    public var intervalDays: Int? = nil
    /// Strata whose drawn subjects are inspected remotely, on documents (无感/远程监管):
    /// Chengdu's sandbox members.
    public var remoteStrata: Set<String> = []
}
