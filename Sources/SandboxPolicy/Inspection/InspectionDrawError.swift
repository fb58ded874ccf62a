import SandboxCore

/// Why a draw could not be made; each message says what to change.
public enum InspectionDrawError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptySeed
    case duplicateSubject(uscc: String)
    case tooFewInspectors(region: String, uscc: String, eligible: Int, needed: Int)
    case badInspectorsPerSubject(Int)

    public var description: String {
        switch self {
        case .emptySeed:
            return "the seed is empty; give the seed announced for this draw (e.g. the public lottery number)"
        case .duplicateSubject(let uscc):
            return "USCC \(uscc) is twice in the population; each enterprise must appear once"
        case .tooFewInspectors(let region, let uscc, let eligible, let needed):
            return "region \(region) (drawn subject \(uscc)) has \(eligible) active inspector(s) but needs \(needed): "
                + "add inspectors covering \(region) (or with empty regions) to the inspectors file"
        case .badInspectorsPerSubject(let n):
            return "inspectors per subject must be at least 1, got \(n); check [inspection] inspectors_per_subject in the pack"
        }
    }
}
