import SandboxStorage

/// A sandbox member as the compliance team's reports list it (docs/policy.md §14.2).
struct SandboxMemberRow {
    let merchantID: String
    let uscc: String?
    let shopName: String?
    let riskClass: String?
    let points: Int
    let memberSince: Int?
    let source: String?
    /// The pack version of the member's current roster item.
    let packVersion: String?
}

// The reads behind `sandbox-agent policy report` (`PolicyReports` turns them into tables).
extension AgentState {
    /// Current sandbox members, by merchant id.
    func sandboxMembers() throws -> [SandboxMemberRow] {
        try members("""
            SELECT p.platform_merchant_id, m.uscc, m.shop_name, p.class, p.points, p.member_since, p.source,
                   (SELECT pack_version FROM policy_items WHERE type = 'roster' AND key = p.platform_merchant_id)
            FROM merchant_policy p LEFT JOIN merchants m ON m.platform_merchant_id = p.platform_merchant_id
            WHERE p.member = 1 AND p.excluded_by_regulator = 0 ORDER BY p.platform_merchant_id
            """)
    }

    /// Award candidates (评优评先): members of class A without an open case, longest members first.
    func awardCandidates() throws -> [SandboxMemberRow] {
        try members("""
            SELECT p.platform_merchant_id, m.uscc, m.shop_name, p.class, p.points, p.member_since, p.source, NULL
            FROM merchant_policy p LEFT JOIN merchants m ON m.platform_merchant_id = p.platform_merchant_id
            WHERE p.member = 1 AND p.excluded_by_regulator = 0 AND p.class = 'A'
              AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.platform_merchant_id = p.platform_merchant_id
                                                       AND c.state IN ('open', 'overdue'))
            ORDER BY p.member_since, p.platform_merchant_id
            """)
    }

    private func members(_ sql: String) throws -> [SandboxMemberRow] {
        try flushPolicyBatches()
        let s = try database.prepareUncached(sql)
        var rows: [SandboxMemberRow] = []
        while try s.step() {
            rows.append(SandboxMemberRow(merchantID: s.string(0) ?? "", uscc: s.string(1), shopName: s.string(2), riskClass: s.string(3),
                                         points: s.int(4), memberSince: s.intOrNil(5), source: s.string(6), packVersion: s.string(7)))
        }
        return rows
    }

    /// An instruction's kind and the state its platform's receipts put it in; nil for an id never issued.
    func instructionReceipt(id: String) throws -> (kind: String, receiptState: String?)? {
        let s = try database.prepare("SELECT kind, receipt_state FROM policy_instructions WHERE id = ?")
        defer { s.reset() }
        try s.bind(all: id)
        guard try s.step() else { return nil }
        return (s.string(0) ?? "", s.string(1))
    }
}
