import SandboxCore
import SandboxPolicy
import SandboxStorage
import SandboxWire

// The regulator's roster decisions pushed to the platforms (issue 12, docs/policy.md §5.3): a
// `sandbox` directive with a `verdict` per platform that RosterVerdicts says must hear it, and
// the last verdict per platform and enterprise in `roster_verdicts` (schema step 19).
extension StoreSession {
    /// Sends the verdicts the decisions of `entries` call for (in the caller's transaction), in
    /// their order; the verdicts sent before are read for all of them at once.
    func sendRosterVerdicts(_ entries: [RosterEntry], now: Int64) throws -> [Directive] {
        guard !entries.isEmpty else { return [] }
        let selection = USCCSelection.some(entries.map(\.uscc))
        let s = try database.prepare("SELECT uscc, platform_id, member FROM roster_verdicts WHERE \(condition("uscc", selection, 1))")
        try s.bind(1, selection.parameter)
        var sent: [String: [String: Bool]] = [:]
        while try s.step() { sent[s.string(0) ?? "", default: [:]][s.string(1) ?? ""] = s.int(2) != 0 }
        s.reset()
        let due = entries.flatMap { verdicts($0, sent: sent[$0.uscc] ?? [:], now: now) }
        guard !due.isEmpty else { return [] }
        let directives = try insertDirectives(due.map(\.directive), now: now)
        let rows = zip(due, directives).map { verdict, directive in
            JSONValue.object(["uscc": .string(verdict.uscc), "platform_id": .string(directive.platformID),
                              "member": .int(verdict.member ? 1 : 0), "directive_id": .string(directive.id)])
        }
        let keep = try database.prepare("""
            INSERT INTO roster_verdicts (uscc, platform_id, member, directive_id, sent_at)
            SELECT json_extract(e.value, '$.uscc'), json_extract(e.value, '$.platform_id'), CAST(json_extract(e.value, '$.member') AS INTEGER),
                   json_extract(e.value, '$.directive_id'), ?2
            FROM \(dialect.jsonObjects(1)) AS e WHERE TRUE
            ON CONFLICT (uscc, platform_id) DO UPDATE SET member = excluded.member, directive_id = excluded.directive_id,
                sent_at = excluded.sent_at
            """)
        defer { keep.reset() }
        try keep.bind(all: JSONValue.array(rows).jsonText, now)
        try keep.step()
        return directives
    }

    /// The verdicts `entry`'s decision calls for, given the last verdict sent to each platform.
    private func verdicts(_ entry: RosterEntry, sent: [String: Bool], now: Int64)
        -> [(uscc: String, member: Bool, directive: NewDirective)] {
        let proposing = Set(entry.platforms.filter(\.member).map(\.platformID))
        // In Chinese first, for the platform's compliance staff; `reasons` keeps the rule's list.
        let reason = entry.member
            ? "监管部门信用沙盒名单决定：该企业纳入信用沙盒"
            : "监管部门信用沙盒名单决定：该企业暂不纳入信用沙盒。原因：" + entry.notMemberBecause.joined(separator: "；")
        return RosterVerdicts.due(member: entry.member, proposing: proposing, sent: sent).map { d in
            let payload = JSONValue.object([
                "verdict": .string(d.member ? SandboxDirective.Action.decidedMember.rawValue
                                            : SandboxDirective.Action.decidedNotMember.rawValue),
                "reason": .string(reason),
                "reasons": .array(entry.notMemberBecause.map(JSONValue.string)),
                "decided_at": .string(UTCTime.rfc3339(now)),
            ])
            return (entry.uscc, d.member, NewDirective(platformID: d.platformID, type: "sandbox", uscc: entry.uscc, payload: payload))
        }
    }
}
