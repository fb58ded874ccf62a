/// The console's words for 行政处罚法 art. 33: the agents' recommendations, the officers'
/// decisions, and why a decision does not fit a recommendation — the same rule as
/// `Art33Decision.problem`, which the store applies again when the decision is recorded, said in
/// the reader's language before the officer chooses.
enum Art33Wording {
    static func recommendation(_ value: String, _ c: ConsoleRequestState) -> String {
        switch value {
        case "no_penalty": return c.t(.recNoPenalty)
        case "may_not_penalize": return c.t(.recMayNotPenalize)
        default: return value
        }
    }

    static func decision(_ decision: Art33Decision, _ c: ConsoleRequestState) -> String {
        switch decision {
        case .noPenalty: return c.t(.decNoPenalty)
        case .mayNotPenalizeApplied: return c.t(.decMayApplied)
        case .mayNotPenalizeNotApplied: return c.t(.decMayNotApplied)
        case .fileCase: return c.t(.decFileCase)
        }
    }

    /// A recorded decision's name (the store keeps the raw value).
    static func decision(_ raw: String?, _ c: ConsoleRequestState) -> String {
        guard let raw else { return c.t(.undecided) }
        return Art33Decision(rawValue: raw).map { decision($0, c) } ?? raw
    }

    /// Why `decision` cannot be taken on `rec`, or nil when it can.
    static func unavailable(_ decision: Art33Decision, on rec: Recommendation, _ c: ConsoleRequestState) -> String? {
        if rec.decision != nil { return c.t(.decidedBefore) }
        guard decision.problem(recommended: rec.recommended, firstHere: rec.firstHere) != nil else { return nil }
        switch decision {
        case .noPenalty: return c.t(.needsNoPenaltyRecommendation)
        case .mayNotPenalizeApplied where !rec.firstHere: return c.t(.needsFirstViolation)
        default: return c.t(.needsMayNotPenalize)
        }
    }

    static func yesNo(_ value: Bool?, _ c: ConsoleRequestState) -> String {
        value.map { $0 ? c.t(.yes) : c.t(.no) } ?? "—"
    }
}
