import SandboxCore

/// Everything the conditions of one pass can read, as columns over a population of rows
/// (merchants in stages 1–4, rectified cases in stage 5): the loader fills the fields the pack
/// reads, and the pass adds its own decisions (risk.*, cases.*, roster.*) as it goes.
public struct PolicyFacts: Sendable {
    public var rows: Int
    public var today: CivilDate
    public var columns: [ConditionField: FactColumn] = [:]
    /// Per row, bit i set when the merchant currently has finding `FindingCode.all[i]`.
    public var findings: [UInt32]
    public var events: ElementTable
    public var licences: ElementTable

    public init(rows: Int, today: CivilDate) {
        self.rows = rows; self.today = today
        findings = [UInt32](repeating: 0, count: rows)
        events = .empty(rows: rows)
        licences = .empty(rows: rows)
    }

    /// A population of other rows (e.g. cases) carrying the facts of `rows` of this one.
    public func gather(_ rows: [Int]) -> PolicyFacts {
        var out = PolicyFacts(rows: rows.count, today: today)
        out.columns = columns.mapValues { $0.gather(rows) }
        out.findings = rows.map { findings[$0] }
        out.events = events.gather(rows)
        out.licences = licences.gather(rows)
        return out
    }
}

public enum FindingMask {
    /// The bit of a finding code in `PolicyFacts.findings`.
    public static func bit(of code: String) -> UInt32? { bits[code] }

    /// By code: found by position in `FindingCode.all`, each ask compared a code with the codes
    /// before it, a million string comparisons in a first pass's explanations (issue 16, session 40).
    private static let bits = Dictionary(FindingCode.all.enumerated().map { ($1, UInt32(1) << UInt32($0)) },
                                         uniquingKeysWith: { first, _ in first })

    /// The codes of `codes` that a merchant's mask `found` holds, in their order.
    public static func held(_ codes: [String], in found: UInt32) -> [String] {
        codes.filter { code in bit(of: code).map { found & $0 != 0 } ?? false }
    }
}
