import SandboxCore

/// A registry record as the API shows it: the registry-* columns of EXPORT-FORMAT.md, English keys.
enum RegistryEntryJSON {
    static func object(_ r: RegistryRecord) -> JSONValue {
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

    /// The stored object with its cursor added.
    static func withCursor(_ content: JSONValue, cursor: Int64) -> JSONValue {
        guard case .object(var o) = content else { return content }
        o["cursor"] = .int(cursor)
        return .object(o)
    }
}

/// GET /v1/registry/changes answer.
struct RegistryChanges: Encodable {
    var changes: [JSONValue]
    var nextCursor: Int64
    enum CodingKeys: String, CodingKey { case changes, nextCursor = "next_cursor" }
}

/// What an import did.
public struct RegistryImportResult: Sendable, Equatable {
    /// Entries new or with changed content: each took a new cursor.
    public var changed = 0
    /// Entries identical to the stored ones: nothing written.
    public var unchanged = 0
    /// Rows that could not be read, with line and reason.
    public var rejected: [String] = []
}
