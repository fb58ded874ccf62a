/// Where a lead (违法预警线索) stands in the district bureau's offline work (线上线下一体化):
/// received → assigned → 核查 (verified) → 立案 (filed) / 不予立案 / 移送 → 结案 (closed).
public enum LeadStage: String, Sendable, Codable, CaseIterable {
    /// Arrived from a platform's case; nobody has it yet.
    case new
    /// An officer has it (分派).
    case assigned
    /// 核查 done: the facts were checked.
    case verified
    /// 立案: a case was opened.
    case filed
    /// 不予立案: no case, with the reason.
    case notFiled = "not_filed"
    /// 移送: handed to another organ (public security, another bureau).
    case transferred
    /// 结案: closed with its outcome (measure, penalty).
    case closed

    /// No step follows.
    public var isFinal: Bool { self == .notFiled || self == .transferred || self == .closed }
}

/// One thing an officer records on a lead.
public enum LeadAction: String, Sendable, Codable, CaseIterable {
    case assign, verify, file, notFile = "not_file", transfer, close

    /// The stage the lead is in after this action.
    public var result: LeadStage {
        switch self {
        case .assign: return .assigned
        case .verify: return .verified
        case .file: return .filed
        case .notFile: return .notFiled
        case .transfer: return .transferred
        case .close: return .closed
        }
    }

    /// The stages this action may be taken from (the order of the work, 核查 before 立案).
    public var allowedFrom: Set<LeadStage> {
        switch self {
        case .assign: return [.new, .assigned, .verified]
        case .verify: return [.new, .assigned]
        case .file, .notFile: return [.verified]
        case .transfer: return [.verified, .filed]
        case .close: return [.filed]
        }
    }
}
