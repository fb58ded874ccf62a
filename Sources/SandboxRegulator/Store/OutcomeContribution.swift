import SandboxWire

/// What one stored record adds to the outcome counts: exactly what the outcome report counted
/// for it when it scanned `records` with `json_extract` (before schema step 25), each on the
/// Asia/Shanghai day of its time as `julianday` reads it (SQLiteTime):
/// - a prompt: `prompts_pushed` on the day of `issued_at`;
/// - a case: `leads` on the day of `opened_at`; `rectified` on the day of `rectified_at`, and
///   that day also `rectified_in_time` when `in_time` is true (or 1, which SQLite's `= 1` took
///   for true) and `no_penalty_recommendations` when `determination` is an object;
/// - an instruction of type `suspend`, `terminate` or `takedown`: `suspensions`, `terminations`
///   or `takedowns` on the day of `issued_at`.
/// The intake adds a new record's keys and, for a replaced one, takes the stored version's away
/// (FeedIntake); the migration counts every stored record once (OutcomeCountsBackfill).
enum OutcomeContribution {
    /// The record types that count: only their replacements need the stored version read.
    static let types: Set<String> = ["prompt", "case", "instruction"]

    /// The counts `data` (the record's stored JSON text) adds one to.
    static func keys(type: String, uscc: String?, data: String) -> [OutcomeCountKey] {
        guard types.contains(type), let record = JSONValue.parse(data.utf8) else { return [] }
        let division = uscc.map(RegistrationDivision.of) ?? ""
        var keys: [OutcomeCountKey] = []
        func count(_ figure: OutcomeFigure, on day: String?) {
            if let day { keys.append(OutcomeCountKey(day: day, division: division, figure: figure)) }
        }
        switch type {
        case "prompt":
            count(.promptsPushed, on: SQLiteTime.shanghaiDay(record["issued_at"]))
        case "case":
            count(.leads, on: SQLiteTime.shanghaiDay(record["opened_at"]))
            if let day = SQLiteTime.shanghaiDay(record["rectified_at"]) {
                count(.rectified, on: day)
                if isTrue(record["in_time"]) { count(.rectifiedInTime, on: day) }
                if case .object? = record["determination"] { count(.noPenaltyRecommendations, on: day) }
            }
        case "instruction":
            let figure: OutcomeFigure? = switch record["type"]?.stringValue {
            case "suspend": .suspensions
            case "terminate": .terminations
            case "takedown": .takedowns
            default: nil
            }
            if let figure { count(figure, on: SQLiteTime.shanghaiDay(record["issued_at"])) }
        default:
            break
        }
        return keys
    }

    /// `json_extract(data, '$.in_time') = 1` as SQLite answered it: true, or a number equal to 1.
    private static func isTrue(_ value: JSONValue?) -> Bool {
        switch value {
        case .bool(true)?, .int(1)?: return true
        case .double(let d)?: return d == 1
        default: return false
        }
    }
}
