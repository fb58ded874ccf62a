/// What an officer decides on an agent's 行政处罚法 art. 33 recommendation.
public enum Art33Decision: String, Sendable, Codable, CaseIterable {
    /// ¶1 sentence 1: 不予行政处罚 (minor, corrected in time, no harm).
    case noPenalty = "no_penalty"
    /// ¶1 sentence 2 applied: 可以不予行政处罚, and the officer does not penalise.
    case mayNotPenalizeApplied = "may_not_penalize_applied"
    /// ¶1 sentence 2 not applied: the discretion is used against it (the lead goes on).
    case mayNotPenalizeNotApplied = "may_not_penalize_not_applied"
    /// 立案: the case is filed (the lead's work goes on in the leads queue).
    case fileCase = "file_case"

    /// The merchant is not penalised, so it gets the education note (art. 33 ¶3).
    public var educates: Bool { self == .noPenalty || self == .mayNotPenalizeApplied }

    /// Why this decision does not fit the recommendation, or nil. Sentence 2's discretion needs
    /// "first" as the regulator judges it, across platforms.
    public func problem(recommended: String, firstHere: Bool) -> String? {
        switch self {
        case .noPenalty where recommended != "no_penalty":
            return "不予行政处罚 needs a no_penalty recommendation (minor, corrected in time, no harm); this case's is \(recommended)"
        case .mayNotPenalizeApplied where !firstHere:
            return "可以不予行政处罚 needs a first violation; across every platform and the regulator's records this enterprise had an earlier case within 365 days"
        case .mayNotPenalizeApplied, .mayNotPenalizeNotApplied:
            if recommended != "may_not_penalize" && recommended != "no_penalty" {
                return "可以不予行政处罚 is for a may_not_penalize recommendation; this case's is \(recommended)"
            }
            return nil
        default:
            return nil
        }
    }
}
