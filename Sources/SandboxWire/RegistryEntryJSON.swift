import SandboxCore

/// A registry record as the API shows it: the registry-* columns of EXPORT-FORMAT.md, English keys.
/// The regulator writes it (`object`) and the agent reads it back (`record`): both halves here, so
/// a key renamed on one side is renamed on the other.
public enum RegistryEntryJSON {
    public static func object(_ r: RegistryRecord) -> JSONValue {
        func text(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        func flag(_ b: Bool?) -> JSONValue { b.map(JSONValue.bool) ?? .null }
        return .object([
            "uscc": .string(r.uscc),
            "name": .string(r.name),
            "legal_representative": text(r.legalRepresentative),
            "address": text(r.address),
            "registration_status": text(r.registrationStatus?.rawValue),
            "changed_at": text(r.changedAt?.description),
            "abnormal_list": flag(r.abnormalList),
            "serious_violation_list": flag(r.seriousViolationList),
            "last_annual_report_year": r.lastAnnualReportYear.map { .int(Int64($0)) } ?? .null,
        ])
    }

    /// The record an entry describes, as the agent files it; nil when the USCC or the name is
    /// missing or the USCC is not 18 characters of its alphabet (the agent skips such an entry).
    /// Flags and the year are read from any JSON number, as the agent always read them.
    public static func record(_ entry: JSONValue) -> RegistryRecord? {
        guard let uscc = entry["uscc"]?.stringValue, let name = entry["name"]?.stringValue,
              (try? NumberField.usccShape(uscc)) != nil else { return nil }
        func text(_ k: String) -> String? { entry[k]?.stringValue }
        func number(_ k: String) -> Double? {
            switch entry[k] {
            case .bool(let b)?: return b ? 1 : 0
            case .int(let i)?: return Double(i)
            case .double(let d)?: return d
            default: return nil
            }
        }
        return RegistryRecord(
            uscc: uscc, name: name, legalRepresentative: text("legal_representative"), address: text("address"),
            registrationStatus: text("registration_status").flatMap(RegistrationStatus.init(rawValue:)),
            changedAt: text("changed_at").flatMap { try? DateField.date($0) },
            abnormalList: number("abnormal_list").map { $0 != 0 },
            seriousViolationList: number("serious_violation_list").map { $0 != 0 },
            lastAnnualReportYear: number("last_annual_report_year").flatMap { Int(exactly: $0.rounded(.towardZero)) })
    }

    /// The stored object with its cursor added.
    public static func withCursor(_ content: JSONValue, cursor: Int64) -> JSONValue {
        guard case .object(var o) = content else { return content }
        o["cursor"] = .int(cursor)
        return .object(o)
    }
}

/// GET /v1/registry/changes answer: entries (`RegistryEntryJSON.object`, each with its `cursor`).
public struct RegistryChanges: Sendable, Equatable, Codable {
    public var changes: [JSONValue]
    /// Left out by a regulator that had nothing newer to say: the agent keeps its cursor.
    public var nextCursor: Int64?

    public init(changes: [JSONValue], nextCursor: Int64?) {
        self.changes = changes
        self.nextCursor = nextCursor
    }

    enum CodingKeys: String, CodingKey { case changes, nextCursor = "next_cursor" }
}
