/// The outcome figures the intake counts per day and division (`outcome_counts`), named as the
/// fields of OutcomeReport they answer: each counts records whose time falls on a day of the
/// period (OutcomeContribution says which records and which time).
enum OutcomeFigure: String, CaseIterable, Sendable {
    case promptsPushed = "prompts_pushed"
    case leads
    case rectified
    case rectifiedInTime = "rectified_in_time"
    case noPenaltyRecommendations = "no_penalty_recommendations"
    case suspensions
    case terminations
    case takedowns
}
