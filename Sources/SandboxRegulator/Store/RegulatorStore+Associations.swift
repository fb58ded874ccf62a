import SandboxCore
import SandboxStorage

// The associations (行业协会) as the console reads them: the list with its counts, one
// association's members with their standing (paged by USCC), and the prompts it sent.
extension StoreSession {
    /// Every association with a member list, a staff account or a prompt sent, by id; or only `id`.
    public func associations(only id: String? = nil) throws -> [AssociationSummary] {
        let s = try database.prepare("""
            SELECT a.id,
                   (SELECT min(display_name) FROM staff t WHERE t.role = 'association' AND t.association = a.id),
                   (SELECT count(*) FROM association_members m WHERE m.association = a.id),
                   (SELECT count(*) FROM association_prompts p WHERE p.association = a.id)
            FROM (SELECT DISTINCT association AS id FROM association_members WHERE \(Self.onlyUSCC("association", id, 1))
                  UNION SELECT association FROM staff WHERE role = 'association' AND association IS NOT NULL
                                                       AND \(Self.onlyUSCC("association", id, 1))
                  UNION SELECT DISTINCT association FROM association_prompts WHERE \(Self.onlyUSCC("association", id, 1))) a
            ORDER BY a.id
            """)
        defer { s.reset() }
        try s.bind(1, id)
        var out: [AssociationSummary] = []
        while try s.step() {
            out.append(AssociationSummary(id: s.string(0) ?? "", name: s.string(1), members: s.int(2), prompts: s.int(3)))
        }
        return out
    }

    /// Up to `limit` members of `association` after `after` in USCC order, with their standing:
    /// the kept roster decision, the worst class, the cases open on any platform.
    public func memberStanding(_ association: String, after: String?, limit: Int) throws -> [MemberStanding] {
        let s = try database.prepare("""
            SELECT a.uscc, json_extract(g.content, '$.name'), r.member, r.worst_class, a.added_at,
                   (SELECT count(*) FROM records c WHERE c.uscc = a.uscc AND c.type = 'case'
                      AND json_extract(c.data, '$.state') IN ('open', 'overdue'))
            FROM association_members a
            LEFT JOIN regulator_roster r ON r.uscc = a.uscc LEFT JOIN registry g ON g.uscc = a.uscc
            WHERE a.association = ?1 AND a.uscc > ?2
            ORDER BY a.uscc LIMIT ?3
            """)
        defer { s.reset() }
        try s.bind(all: association, after ?? "", limit)
        var out: [MemberStanding] = []
        while try s.step() {
            out.append(MemberStanding(uscc: s.string(0) ?? "", name: s.string(1), member: s.isNull(2) ? nil : s.int(2) != 0,
                                      worstClass: s.string(3), openCases: s.int(5), addedAt: UTCTime.rfc3339(s.int64(4))))
        }
        return out
    }

    /// The prompts `association` sent, newest first.
    public func associationPrompts(_ association: String, limit: Int) throws -> [AssociationPromptRecord] {
        let s = try database.prepare("""
            SELECT id, title, text, issuer_name, issued_by, members, storefronts, issued_at FROM association_prompts
            WHERE association = ?1 ORDER BY id DESC LIMIT ?2
            """)
        defer { s.reset() }
        try s.bind(all: association, limit)
        var out: [AssociationPromptRecord] = []
        while try s.step() {
            out.append(AssociationPromptRecord(id: s.int64(0), title: s.string(1) ?? "", text: s.string(2) ?? "",
                                               issuerName: s.string(3) ?? "", issuedBy: s.string(4) ?? "", members: s.int(5),
                                               storefronts: s.int(6), issuedAt: UTCTime.rfc3339(s.int64(7))))
        }
        return out
    }
}
