/// What a credit repair (信用修复) asks to end, and the limit for deciding it
/// (../shared/DOMAIN.md §6; 市场监督管理信用修复管理办法 [practice]).
public enum RepairList: String, Sendable, Codable, CaseIterable {
    /// 经营异常名录: removal decided within 5 working days.
    case abnormalList = "abnormal_list"
    /// 严重违法失信名单: 15 working days [ours, after the same measures].
    case seriousViolationList = "serious_violation_list"
    /// 行政处罚信息公示 ended early (after 6 months; 1 year for food, drugs, special equipment):
    /// 15 working days [ours].
    case penaltyPublication = "penalty_publication"

    public var decisionWorkingDays: Int { self == .abnormalList ? 5 : 15 }

    /// The list a free text names (a receipt's note), by code or Chinese name; nil when it names
    /// none or several.
    public static func named(in text: String?) -> RepairList? {
        guard let text else { return nil }
        let found = allCases.filter { text.contains($0.rawValue) || text.contains($0.chineseName) }
        return found.count == 1 ? found[0] : nil
    }

    public var chineseName: String {
        switch self {
        case .abnormalList: return "经营异常名录"
        case .seriousViolationList: return "严重违法失信名单"
        case .penaltyPublication: return "行政处罚信息公示"
        }
    }

    /// The registry flag an approved repair clears, so every agent hears of it as a registry
    /// change; nil when the registry carries no flag for it.
    public var registryFlag: String? {
        switch self {
        case .abnormalList: return "abnormal_list"
        case .seriousViolationList: return "serious_violation_list"
        case .penaltyPublication: return nil
        }
    }
}
