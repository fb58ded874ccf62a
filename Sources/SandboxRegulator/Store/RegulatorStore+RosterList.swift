import SandboxCore
import SandboxStorage
import SandboxWire

// The console's roster (issue 14): a page of the kept decisions in a jurisdiction, by place and
// standing, in USCC order — one range of an index per page, never the city decided on a read.
extension StoreSession {
    /// Up to `limit` enterprises of the kept roster that `filter` admits, after `filter.after`.
    public func rosterPage(_ filter: RosterFilter, limit: Int) throws -> [RosterListing] {
        // The rows to walk, in USCC order: the association's members; the enterprises of one
        // place (a district's own, or the asked region); or the whole kept roster. A district
        // asking another region keeps its own as a condition, so it never sees past it.
        var from = "regulator_roster r", order = "r.uscc", conditions: [String] = []
        let scope: String?, district: String?
        switch filter.jurisdiction {
        case .everything: scope = nil; district = nil
        case .district(let code): scope = code; district = code
        case .association(let id):
            scope = id; district = nil
            from = "association_members a JOIN regulator_roster r ON r.uscc = a.uscc"
            order = "a.uscc"
            conditions.append("a.association = ?1")
            if filter.region != nil {
                conditions.append("EXISTS (SELECT 1 FROM roster_places q WHERE q.uscc = a.uscc AND q.region = ?2)")
            }
        }
        if from == "regulator_roster r", let place = filter.region ?? district {
            from = "roster_places p JOIN regulator_roster r ON r.uscc = p.uscc"
            order = "p.uscc"
            conditions.append("p.region = ?2")
            if let district, place != district {
                conditions.append("EXISTS (SELECT 1 FROM roster_places q WHERE q.uscc = p.uscc AND q.region = ?1)")
            }
        }
        conditions.append("(?3 IS NULL OR r.member = ?3)")
        if filter.worstClass == RosterFilter.unclassified {
            conditions.append("r.worst_class IS NULL")
        } else {
            conditions.append("(?4 IS NULL OR r.worst_class = ?4)")
        }
        // Always a bound (the empty text before every code), so a later page is a range of the
        // index rather than a scan from its start.
        conditions.append("\(order) > ?5")
        let s = try database.prepare("""
            SELECT r.uscc, json_extract(g.content, '$.name'), r.member, r.member_since, r.worst_class, r.proposed_by, r.reasons,
                   r.recheck_at, r.decided_at,
                   (SELECT o.action FROM roster_overrides o WHERE o.uscc = r.uscc ORDER BY o.id DESC LIMIT 1),
                   (SELECT count(*) FROM roster_overrides o WHERE o.uscc = r.uscc)
            FROM \(from) LEFT JOIN registry g ON g.uscc = r.uscc
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY \(order) LIMIT ?6
            """)
        defer { s.reset() }
        let worst = filter.worstClass == RosterFilter.unclassified ? nil : filter.worstClass
        try s.bind(all: scope, filter.region ?? district, filter.member.map { $0 ? 1 : 0 }, worst, filter.after ?? "", limit)
        var out: [RosterListing] = []
        while try s.step() {
            func strings(_ column: Int32) -> [String] {
                guard case .array(let a)? = JSONValue.parse(Array((s.string(column) ?? "[]").utf8)) else { return [] }
                return a.compactMap(\.stringValue)
            }
            out.append(RosterListing(
                uscc: s.string(0) ?? "", name: s.string(1), member: s.int(2) != 0, memberSince: s.string(3), worstClass: s.string(4),
                proposedBy: strings(5), notMemberBecause: strings(6), removalHoldUntil: s.int64OrNil(7).map(UTCTime.rfc3339),
                newestOverride: s.string(9), overrides: s.int(10), decidedAt: UTCTime.rfc3339(s.int64(8))))
        }
        return out
    }
}
