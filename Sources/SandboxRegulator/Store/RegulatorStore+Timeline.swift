import SandboxCore
import SandboxStorage

// One enterprise's timeline for its file (issue 14). A few indexed reads, whatever the size of
// the city: directives_by_uscc, receipts_by_instruction per instruction, determinations_by_uscc,
// inspection_results_by_uscc.
extension StoreSession {
    /// The timeline of `uscc`; `instructions` are its agents' instructions (platform, id) as the
    /// profile holds them, whose receipts are read by their ids.
    public func enterpriseTimeline(uscc: String, instructions: [(platformID: String, id: String)],
                                   directiveLimit: Int = 200) throws -> EnterpriseTimeline {
        var timeline = EnterpriseTimeline()
        timeline.directives = try directivesTo(uscc: uscc, limit: directiveLimit)
        for i in instructions {
            let found = try filedReceipts(platformID: i.platformID, instructionID: i.id)
            if !found.isEmpty { timeline.instructionReceipts[EnterpriseTimeline.key(i.platformID, i.id)] = found }
        }
        let d = try database.prepare("""
            SELECT platform_id, case_key, recommended, decision, note, decided_by, role, decided_at, directive_id
            FROM determinations WHERE uscc = ?1 ORDER BY decided_at DESC
            """)
        defer { d.reset() }
        try d.bind(1, uscc)
        while try d.step() {
            timeline.decisions.append(Art33DecisionRecord(
                platformID: d.string(0) ?? "", caseID: d.string(1) ?? "", recommended: d.string(2) ?? "", decision: d.string(3) ?? "",
                note: d.string(4), decidedBy: d.string(5) ?? "", role: d.string(6), decidedAt: d.int64(7), directiveID: d.string(8)))
        }
        timeline.inspections = try inspectionResults(uscc: uscc)
        return timeline
    }
}
