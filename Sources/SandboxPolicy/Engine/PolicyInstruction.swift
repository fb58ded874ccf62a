/// An instruction the agent's policy issues to the platform (docs/policy.md §9): guidance, the
/// ladder's steps (or a step at once: takedown, suspend, terminate), reinstatement, and the rectification confirmation. Rendered to an outbox line
/// and a feed item by the agent.
public struct PolicyInstruction: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case guidance, rectificationConfirmed = "rectification_confirmed", warning, takedown, suspend, terminate, reinstate, prompt
        /// The outbox file kind (`guidance-*` also carries confirmations).
        public var fileKind: String { self == .rectificationConfirmed ? "guidance" : rawValue }
        public var expectsReceipt: Bool { self != .rectificationConfirmed && self != .prompt }
    }
    public enum ReceiptState: String, Sendable, Codable { case awaiting, executed, rectified, rejected, overdue, none }

    public var id: String
    public var kind: Kind
    public var caseID: String
    public var merchantID: String
    public var ruleID: String
    public var step: Int?
    public var issuedAt: Int64
    public var issuedDay: Int
    public var deadlineDay: Int?
    public var receiptDueDay: Int?
    public var reason: String
    public var action: String
    public var basis: String
    public var guidanceID: String?
    public var previousID: String?
    public var originalDeadlineDay: Int?
    public var suspendInstructionID: String?
    public var rectifiedAt: Int64?
    public var inTime: Bool?
    public var determination: CaseDetermination?
    public var educationNote: String?
}

extension PolicyInstruction.Kind {
    /// The instruction that carries a ladder step, or a step taken at once.
    init(_ step: LadderStepKind) {
        switch step {
        case .warning: self = .warning
        case .takedown: self = .takedown
        case .suspend: self = .suspend
        case .terminate: self = .terminate
        }
    }
}

/// What the pass knows of an instruction still awaiting its receipt.
public struct AwaitedInstruction: Sendable, Hashable {
    public var id: String
    public var caseID: String
    public var kind: PolicyInstruction.Kind
    public var receiptDueDay: Int?
    public init(id: String, caseID: String, kind: PolicyInstruction.Kind, receiptDueDay: Int?) {
        self.id = id; self.caseID = caseID; self.kind = kind; self.receiptDueDay = receiptDueDay
    }
}

/// A change of an instruction's receipt state (a receipt arrived, or its due day passed).
public struct ReceiptStateChange: Sendable, Hashable {
    public var instructionID: String
    public var caseID: String
    public var state: PolicyInstruction.ReceiptState
    public var receiptID: String?
    public var at: Int64
}
