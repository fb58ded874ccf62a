import SandboxCore
import SandboxStorage
import SandboxWire

extension StoreSession {
    /// Current cases across platforms, newest opened first.
    public func cases(_ filter: CaseFilter, limit: Int) throws -> [CaseLead] {
        // The state list is one of CaseFilter's fixed lists, never caller text: safe to inline.
        let stateClause = filter.states.map { " AND json_extract(data, '$.state') IN ("
            + $0.map { "'\($0)'" }.joined(separator: ", ") + ")" } ?? ""
        let s = try database.prepare("""
            SELECT platform_id, key, uscc, data, updated_at, pack_version, pack_serial FROM records
            WHERE type = 'case'\(stateClause)
              AND (?1 IS NULL OR json_extract(data, '$.rule_id') = ?1) AND \(Self.onlyUSCC("uscc", filter.uscc, 2))
            ORDER BY json_extract(data, '$.opened_at') DESC, platform_id, key LIMIT ?3
            """)
        defer { s.reset() }
        try s.bind(1, filter.ruleID)
        try s.bind(2, filter.uscc)
        try s.bind(3, limit)
        var out: [CaseLead] = []
        while try s.step() {
            let data = JSONValue.parse(Array((s.string(3) ?? "null").utf8)) ?? .null
            out.append(CaseLead(platformID: s.string(0) ?? "", caseID: s.string(1) ?? "", uscc: s.string(2),
                                state: data["state"]?.stringValue ?? "", ruleID: data["rule_id"]?.stringValue ?? "",
                                packVersion: s.string(5), packSerial: s.int64OrNil(6),
                                updatedAt: UTCTime.rfc3339(s.int64(4)), data: data))
        }
        return out
    }
}
