import SandboxCore
import SandboxStorage
import SandboxWire

extension StoreSession {
    /// Lead versions after `id`, oldest first, from `case_history` (every accepted new version of
    /// a case item, appended in the feed's transaction): up to `limit`, and none from the first
    /// one younger than the dialect's commit-order slack on (SQLDialect.commitOrderSlackSeconds),
    /// so a reader that follows the ids never passes a version still to commit.
    public func leadVersions(after id: Int64, limit: Int, now: Int64) throws -> [LeadVersion] {
        let s = try database.prepare("""
            SELECT id, platform_id, key, uscc, rule_id, state, received_at, data FROM case_history
            WHERE id > ?1 AND id < coalesce((SELECT min(id) FROM case_history WHERE id > ?1 AND received_at > ?2),
                                            9223372036854775807)
            ORDER BY id LIMIT ?3
            """)
        defer { s.reset() }
        try s.bind(all: id, now - dialect.commitOrderSlackSeconds, limit)
        var out: [LeadVersion] = []
        while try s.step() {
            out.append(LeadVersion(
                id: s.int64(0), platformID: s.string(1) ?? "", caseID: s.string(2) ?? "", uscc: s.string(3),
                ruleID: s.string(4), state: s.string(5), receivedAt: UTCTime.rfc3339(s.int64(6)),
                lead: JSONValue.parse(Array((s.string(7) ?? "null").utf8)) ?? .null))
        }
        return out
    }
}
