import SandboxCore
import SandboxPolicy
import SandboxStorage
import SandboxWire

/// Why a decision on a proposal was refused.
public enum ProposalRefusal: Error, Sendable, Equatable {
    case noSuchProposal
    case invalid(String)
}

// The ladder steps the agents propose (suspend, terminate) and the officers' decisions on them
// (issue 12, docs/regulator.md "Proposals").
extension StoreSession {
    /// Proposals in a jurisdiction in the given states (as the agents last reported them), the
    /// longest waiting first. The states are the enum's, never the caller's text.
    public func proposals(jurisdiction: Jurisdiction, states: [CaseProposal.State], today: CivilDate,
                          limit: Int, offset: Int = 0) throws -> [Proposal] {
        guard !states.isEmpty else { return [] }
        let (place, value) = Self.queuePlace(jurisdiction)
        let list = states.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        // The page's keys from the place's proposal queue (`lead_queue_proposals`, schema step
        // `caseQueues`): one range of an index per state. Reading every case with a proposal in
        // these states and checking each one's jurisdiction took 94 s for a district at
        // 20,000,000 merchants. Then the page's cases with their JSON and the decision on each
        // one's proposal, in the same statement: a page of 200 is one round trip to PostgreSQL,
        // not 400 (a case, then its decision, per row: 0.3–0.4 s a page at 469,000 merchants).
        let s = try database.prepare("""
            SELECT p.platform_id, p.case_key, r.uscc, r.data,
                   d.decision, d.until_day, d.reason, d.decided_by, d.decided_at, d.directive_id
            FROM (SELECT q.platform_id, q.case_key, q.proposal_first AS first FROM lead_queue q
                  WHERE \(place) AND q.proposal_state IN (\(list))
                  ORDER BY q.proposal_first, q.platform_id, q.case_key LIMIT ?1 OFFSET ?2) p
            JOIN records r ON r.platform_id = p.platform_id AND r.type = 'case' AND r.key = p.case_key
            LEFT JOIN proposal_decisions d ON d.platform_id = p.platform_id AND d.case_key = p.case_key
                 AND d.step = CAST(json_extract(r.data, '$.proposal.step') AS INTEGER)
                 AND d.proposed_at = json_extract(r.data, '$.proposal.proposed_at')
            ORDER BY p.first, p.platform_id, p.case_key
            """)
        defer { s.reset() }
        try s.bind(1, limit)
        try s.bind(2, offset)
        if let value { try s.bind(10, value) }
        var out: [Proposal] = []
        while try s.step() {
            guard var p = Self.proposal(platformID: s.string(0) ?? "", caseID: s.string(1) ?? "", uscc: s.string(2),
                                        data: s.string(3), today: today) else { continue }
            if !s.isNull(4) { p.decision = Self.proposalDecision(s, from: 4) }
            out.append(p)
        }
        return out
    }

    /// The proposal a case carries (waiting or last decided), with the regulator's decision on
    /// it; nil when the platform sent no such case or the case never reached a step that needs
    /// an officer.
    public func proposal(platformID: String, caseID: String, today: CivilDate) throws -> Proposal? {
        let s = try database.prepare("SELECT uscc, data FROM records WHERE platform_id = ? AND type = 'case' AND key = ?")
        defer { s.reset() }
        try s.bind(all: platformID, caseID)
        guard try s.step(), var proposal = Self.proposal(platformID: platformID, caseID: caseID, uscc: s.string(0), data: s.string(1),
                                                        today: today) else { return nil }
        proposal.decision = try proposalDecision(platformID: platformID, caseID: caseID, step: proposal.step,
                                                 proposedAt: proposal.proposedAt)
        return proposal
    }

    /// `proposal(platformID:caseID:today:)` for many cases in one statement, by "PLATFORM/CASE"
    /// (a bulk action's rows); a case without a proposal is absent.
    public func proposals(cases: [(platformID: String, caseID: String)], today: CivilDate) throws -> [String: Proposal] {
        guard !cases.isEmpty else { return [:] }
        let keys = CaseKeys.json(cases)
        let s = try database.prepare("""
            SELECT r.platform_id, r.key, r.uscc, r.data, d.decision, d.until_day, d.reason, d.decided_by, d.decided_at, d.directive_id
            FROM \(dialect.jsonObjects(1)) AS e
            JOIN records r ON r.platform_id = json_extract(e.value, '$.p') AND r.type = 'case' AND r.key = json_extract(e.value, '$.c')
            LEFT JOIN proposal_decisions d ON d.platform_id = r.platform_id AND d.case_key = r.key
                AND d.step = CAST(json_extract(r.data, '$.proposal.step') AS INTEGER)
                AND d.proposed_at = json_extract(r.data, '$.proposal.proposed_at')
            """)
        defer { s.reset() }
        try s.bind(all: keys)
        var found: [String: Proposal] = [:]
        while try s.step() {
            let platformID = s.string(0) ?? "", caseID = s.string(1) ?? ""
            guard var p = Self.proposal(platformID: platformID, caseID: caseID, uscc: s.string(2), data: s.string(3), today: today)
            else { continue }
            if s.string(4) != nil { p.decision = Self.proposalDecision(s, from: 4) }
            found[CaseKeys.key(platformID, caseID)] = p
        }
        return found
    }

    /// The proposal a case's JSON carries, without the regulator's decision; nil when it has none.
    private static func proposal(platformID: String, caseID: String, uscc: String?, data text: String?, today: CivilDate) -> Proposal? {
        let data = JSONValue.parse(Array((text ?? "null").utf8)) ?? .null
        let p = data["proposal"] ?? .null
        guard case .int(let step)? = p["step"], let kind = p["kind"]?.stringValue, let state = p["state"]?.stringValue,
              let first = p["first_proposed_at"]?.stringValue, let proposedAt = p["proposed_at"]?.stringValue else { return nil }
        let firstDay = CivilDate(isoText: String(first.prefix(10)))
        return Proposal(
            platformID: platformID, caseID: caseID, uscc: uscc, platformMerchantID: data["platform_merchant_id"]?.stringValue,
            ruleID: data["rule_id"]?.stringValue ?? "", ruleTitle: data["rule_title"]?.stringValue,
            severity: data["severity"]?.stringValue, caseState: data["state"]?.stringValue ?? "",
            deadline: data["deadline"]?.stringValue, step: Int(step), kind: kind, state: state, firstProposedAt: first,
            proposedAt: proposedAt, deferredUntil: p["deferred_until"]?.stringValue,
            waitingDays: max(0, firstDay.map { $0.days(until: today) } ?? 0), action: p["action"]?.stringValue,
            basis: p["basis"]?.stringValue, reason: data["lead"]?["reason"]?.stringValue, evidence: data["lead"]?["evidence"],
            decision: nil)
    }

    private func proposalDecision(platformID: String, caseID: String, step: Int, proposedAt: String) throws -> ProposalDecisionRecord? {
        let s = try database.prepare("""
            SELECT decision, until_day, reason, decided_by, decided_at, directive_id FROM proposal_decisions
            WHERE platform_id = ? AND case_key = ? AND step = ? AND proposed_at = ?
            """)
        defer { s.reset() }
        try s.bind(all: platformID, caseID, step, proposedAt)
        guard try s.step() else { return nil }
        return Self.proposalDecision(s, from: 0)
    }

    /// A decision from the six columns (decision, until_day, reason, decided_by, decided_at,
    /// directive_id) starting at `first`.
    private static func proposalDecision(_ s: any SQLStatement, from first: Int32) -> ProposalDecisionRecord {
        ProposalDecisionRecord(decision: s.string(first) ?? "", until: s.string(first + 1), reason: s.string(first + 2),
                               decidedBy: s.string(first + 3) ?? "", decidedAt: UTCTime.rfc3339(s.int64(first + 4)),
                               directiveID: s.string(first + 5) ?? "")
    }

    /// Records an officer's decision on a waiting proposal, once per proposal (a step proposed
    /// again after a deferral is a new one), and sends it to the case's platform as a
    /// `confirmation` directive in the same transaction; the agent's next pass applies it.
    public func decideProposal(platformID: String, caseID: String, _ verdict: ProposalVerdict, until: CivilDate?,
                               reason: String?, officer: String, role: String?, issuer: String, now: Int64,
                               today: CivilDate) throws -> (Proposal, Directive) {
        try database.transaction {
            guard let current = try proposal(platformID: platformID, caseID: caseID, today: today) else {
                throw ProposalRefusal.noSuchProposal
            }
            if let d = current.decision {
                throw ProposalRefusal.invalid("this proposal was decided already (\(d.decision) by \(d.decidedBy) at \(d.decidedAt)); "
                                              + "the platform's agent applies it at its next pass")
            }
            guard current.state == CaseProposal.State.pending.rawValue || current.state == CaseProposal.State.deferred.rawValue else {
                throw ProposalRefusal.invalid("the \(current.kind) step is \(current.state), not waiting for a decision")
            }
            if let problem = verdict.problem(until: until, reason: reason, today: today) {
                throw ProposalRefusal.invalid(problem)
            }
            let directive = try insertDirective(NewDirective(
                platformID: platformID, type: "confirmation", platformMerchantID: current.platformMerchantID, uscc: current.uscc,
                payload: .object([
                    "case_id": .string(caseID), "step": .int(Int64(current.step)), "kind": .string(current.kind),
                    "decision": .string(verdict.rawValue), "until": until.map { .string($0.description) } ?? .null,
                    "reason": reason.map(JSONValue.string) ?? .null, "proposed_at": .string(current.proposedAt),
                    "issuer": .string(issuer), "decided_by": .string(officer), "decided_at": .string(UTCTime.rfc3339(now)),
                    "receipt_expected": .bool(false),
                ])), now: now)
            let s = try database.prepare("""
                INSERT INTO proposal_decisions (platform_id, case_key, step, proposed_at, uscc, decision, until_day, reason,
                                                decided_by, role, decided_at, directive_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            defer { s.reset() }
            try s.bind(all: platformID, caseID, current.step, current.proposedAt, current.uscc, verdict.rawValue,
                       until?.description, reason, officer, role, now, directive.id)
            try s.step()
            return (try proposal(platformID: platformID, caseID: caseID, today: today)!, directive)
        }
    }
}
