import SandboxCore
import SandboxStorage

// The regulator's roster decisions pushed to the platforms (issue 12, docs/policy.md §5.3): a
// `sandbox` directive with a `verdict` per platform that RosterVerdicts says must hear it, and
// the last verdict per platform and enterprise in `roster_verdicts` (schema step 19).
extension StoreSession {
    /// Sends the verdicts `entry`'s decision calls for (in the caller's transaction).
    func sendRosterVerdicts(_ entry: RosterEntry, now: Int64) throws -> [Directive] {
        let sent = try rosterVerdictsSent(uscc: entry.uscc)
        let proposing = Set(entry.platforms.filter(\.member).map(\.platformID))
        let due = RosterVerdicts.due(member: entry.member, proposing: proposing, sent: sent)
        guard !due.isEmpty else { return [] }
        // In Chinese first, for the platform's compliance staff; `reasons` keeps the rule's list.
        let reason = entry.member
            ? "监管部门信用沙盒名单决定：该企业纳入信用沙盒"
            : "监管部门信用沙盒名单决定：该企业暂不纳入信用沙盒。原因：" + entry.notMemberBecause.joined(separator: "；")
        let keep = try database.prepare("""
            INSERT INTO roster_verdicts (uscc, platform_id, member, directive_id, sent_at) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (uscc, platform_id) DO UPDATE SET member = excluded.member, directive_id = excluded.directive_id,
                sent_at = excluded.sent_at
            """)
        defer { keep.reset() }
        return try due.map { d in
            let payload = JSONValue.object([
                "verdict": .string(d.member ? SandboxDirective.Action.decidedMember.rawValue
                                            : SandboxDirective.Action.decidedNotMember.rawValue),
                "reason": .string(reason),
                "reasons": .array(entry.notMemberBecause.map(JSONValue.string)),
                "decided_at": .string(Timestamp.iso(now)),
            ])
            let directive = try insertDirective(NewDirective(platformID: d.platformID, type: "sandbox", uscc: entry.uscc,
                                                             payload: payload), now: now)
            try keep.bind(all: entry.uscc, d.platformID, d.member ? 1 : 0, directive.id, now)
            try keep.step()
            keep.reset()
            return directive
        }
    }

    /// The last verdict sent to each platform for `uscc`.
    func rosterVerdictsSent(uscc: String) throws -> [String: Bool] {
        let s = try database.prepare("SELECT platform_id, member FROM roster_verdicts WHERE uscc = ?1")
        defer { s.reset() }
        try s.bind(1, uscc)
        var out: [String: Bool] = [:]
        while try s.step() { out[s.string(0) ?? ""] = s.int(1) != 0 }
        return out
    }
}
