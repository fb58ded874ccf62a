import SandboxCore
import SandboxStorage

/// Why a lead step was refused.
public enum LeadRefusal: Error, Sendable, Equatable {
    /// No case with this id from this platform.
    case noSuchLead
    /// The step does not fit the lead's stage or lacks a field; the text says which.
    case invalid(String)
}

// Leads (the platforms' cases) as the district bureaus work them: queues, steps, the export.
extension StoreSession {
    /// The SQL condition (on `records r`, a case) that keeps a jurisdiction's leads, with its
    /// one parameter as ?10. A district's: registered in its division (USCC characters 3–8) or a
    /// storefront whose region is the division — an indexed probe per case (records_by_uscc).
    static func jurisdictionClause(_ j: Jurisdiction) -> (sql: String, value: String?) {
        switch j {
        case .everything:
            return ("TRUE", nil)
        case .district(let code):
            return ("""
                (substr(r.uscc, 3, 6) = ?10 OR EXISTS (SELECT 1 FROM records m WHERE m.uscc = r.uscc AND m.type = 'merchant'
                 AND json_extract(m.data, '$.region_code') = ?10))
                """, code)
        case .association(let id):
            return ("r.uscc IN (SELECT uscc FROM association_members WHERE association = ?10)", id)
        }
    }

    /// The cases (platform_id, key) in a jurisdiction's queue, with its one parameter as ?10,
    /// each branch read through an index, so a district's queue costs its own cases rather than a
    /// scan of the country's: registered in the division (the expression index on USCC characters
    /// 3–8, schema step 13), or filed under an enterprise with a case and a storefront in it
    /// (`lead_regions`, kept by the intake, step 15) whose storefront is still there.
    static func jurisdictionCases(_ j: Jurisdiction) -> (sql: String, value: String?) {
        switch j {
        case .everything:
            return ("SELECT platform_id, key FROM records WHERE type = 'case'", nil)
        case .district(let code):
            return ("""
                SELECT platform_id, key FROM records WHERE type = 'case' AND substr(uscc, 3, 6) = ?10
                UNION
                SELECT c.platform_id, c.key FROM lead_regions g JOIN records c ON c.uscc = g.uscc AND c.type = 'case'
                WHERE g.region = ?10 AND EXISTS (SELECT 1 FROM records m WHERE m.uscc = g.uscc AND m.type = 'merchant'
                                                 AND json_extract(m.data, '$.region_code') = ?10)
                """, code)
        case .association(let id):
            return ("""
                SELECT c.platform_id, c.key FROM association_members a JOIN records c ON c.uscc = a.uscc AND c.type = 'case'
                WHERE a.association = ?10
                """, id)
        }
    }

    /// A queue: overdue first, then by deadline (none last), then as opened.
    public func leads(_ filter: LeadFilter, today: CivilDate, limit: Int) throws -> [Lead] {
        let (cases, value) = Self.jurisdictionCases(filter.jurisdiction)
        let finals = LeadStage.allCases.filter(\.isFinal).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let s = try database.prepare("""
            WITH queue (platform_id, key) AS (\(cases))
            SELECT r.platform_id, r.key, r.uscc, r.data, l.stage, l.assignee, l.updated_at FROM queue q
            JOIN records r ON r.platform_id = q.platform_id AND r.type = 'case' AND r.key = q.key
            LEFT JOIN leads l ON l.platform_id = r.platform_id AND l.case_key = r.key
            WHERE (?1 IS NULL OR coalesce(l.stage, 'new') = ?1)
              AND (?2 = 0 OR coalesce(l.stage, 'new') NOT IN (\(finals)))
              AND (?3 IS NULL OR l.assignee = ?3) AND \(Self.onlyUSCC("r.uscc", filter.uscc, 4))
            ORDER BY (json_extract(r.data, '$.state') = 'overdue' OR json_extract(r.data, '$.deadline') < ?5) DESC,
                     json_extract(r.data, '$.deadline') IS NULL, json_extract(r.data, '$.deadline'),
                     json_extract(r.data, '$.opened_at'), r.platform_id, r.key
            LIMIT ?6
            """)
        defer { s.reset() }
        try s.bind(all: filter.stage?.rawValue, filter.pending, filter.assignee, filter.uscc, today.description, limit)
        if let value { try s.bind(10, value) }  // `.everything` has no ?10
        var out: [Lead] = []
        while try s.step() { out.append(Self.lead(s, today: today)) }
        return out
    }

    private static func lead(_ s: any SQLStatement, today: CivilDate) -> Lead {
        let data = JSONValue.parse(Array((s.string(3) ?? "null").utf8)) ?? .null
        let state = data["state"]?.stringValue ?? ""
        let deadline = data["deadline"]?.stringValue
        let overdue = state == "overdue" || (deadline.map { $0 < today.description } ?? false) && (state == "open")
        return Lead(platformID: s.string(0) ?? "", caseID: s.string(1) ?? "", uscc: s.string(2),
                    ruleID: data["rule_id"]?.stringValue ?? "", ruleTitle: data["rule_title"]?.stringValue,
                    severity: data["severity"]?.stringValue, caseState: state, openedAt: data["opened_at"]?.stringValue,
                    deadline: deadline, overdue: overdue, stage: LeadStage(rawValue: s.string(4) ?? "") ?? .new,
                    assignee: s.string(5), stageSince: s.int64OrNil(6).map(Timestamp.iso), steps: [])
    }

    /// One lead with its steps; nil when the platform sent no such case.
    public func lead(platformID: String, caseID: String, today: CivilDate) throws -> Lead? {
        let s = try database.prepare("""
            SELECT r.platform_id, r.key, r.uscc, r.data, l.stage, l.assignee, l.updated_at FROM records r
            LEFT JOIN leads l ON l.platform_id = r.platform_id AND l.case_key = r.key
            WHERE r.platform_id = ? AND r.type = 'case' AND r.key = ?
            """)
        defer { s.reset() }
        try s.bind(all: platformID, caseID)
        guard try s.step() else { return nil }
        var lead = Self.lead(s, today: today)
        lead.steps = try leadSteps(where: "platform_id = ?1 AND case_key = ?2", platformID, caseID, limit: 10_000)
        return lead
    }

    /// Records a step on a lead, checking it against the lead's stage, and returns the lead.
    public func recordLeadStep(platformID: String, caseID: String, _ step: LeadStep, officer: String, role: String?,
                               now: Int64, today: CivilDate) throws -> Lead {
        try database.transaction {
            guard let current = try lead(platformID: platformID, caseID: caseID, today: today) else {
                throw LeadRefusal.noSuchLead
            }
            if let problem = step.problem(after: current.stage) { throw LeadRefusal.invalid(problem) }
            let after = step.action.result
            let insert = try database.prepare("""
                INSERT INTO lead_steps (platform_id, case_key, uscc, action, stage_after, officer, role, at, assignee, note,
                                        transferred_to, measure, penalty_fen)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            defer { insert.reset() }
            try insert.bind(all: platformID, caseID, current.uscc, step.action.rawValue, after.rawValue, officer, role, now,
                            step.assignee, step.note, step.transferredTo, step.measure, step.penaltyFen)
            try insert.step()
            let upsert = try database.prepare("""
                INSERT INTO leads (platform_id, case_key, uscc, stage, assignee, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                ON CONFLICT (platform_id, case_key) DO UPDATE SET stage = ?4, assignee = coalesce(?5, leads.assignee), updated_at = ?6
                """)
            defer { upsert.reset() }
            try upsert.bind(all: platformID, caseID, current.uscc, after.rawValue, step.action == .assign ? step.assignee : nil, now)
            try upsert.step()
            if step.action == .close, let uscc = current.uscc {
                try sendOutcomeEvents(current, step, uscc: uscc, now: now)
            }
            return try lead(platformID: platformID, caseID: caseID, today: today)!
        }
    }

    /// A closed lead's outcome returns to the platforms as an `event` directive for every
    /// storefront of the enterprise (on every platform, not only the one whose case it was), so
    /// their agents' indicators count it like an event from an export: a penalty (a fine, or a
    /// 警告 — itself an administrative penalty, 行政处罚法 art. 9) or else a violation established.
    func sendOutcomeEvents(_ lead: Lead, _ step: LeadStep, uscc: String, now: Int64) throws {
        let measure = step.measure ?? ""
        let penalty = (step.penaltyFen ?? 0) > 0 || measure.contains("罚") || measure.contains("警告")
        let payload = JSONValue.object([
            "event_id": .string("REG-\(lead.platformID)-\(lead.caseID)"),
            "event_type": .string(penalty ? "penalty" : "violation"),
            "occurred_at": .string(Timestamp.iso(now)),
            "severity": lead.severity.map(JSONValue.string) ?? .null,
            "description": .string("结案：\(measure)" + (step.note.map { "；\($0)" } ?? "")),
            "penalty_fen": step.penaltyFen.map { .int($0) } ?? .null,
            "case_id": .string(lead.caseID), "case_platform_id": .string(lead.platformID), "rule_id": .string(lead.ruleID),
            "source": .string("regulator"),
        ])
        try sendEvent(payload, uscc: uscc, now: now)
    }

    /// An `event` directive with `payload` for every storefront of the enterprise, on every platform.
    func sendEvent(_ payload: JSONValue, uscc: String, now: Int64) throws {
        for shop in try storefronts(uscc: uscc) {
            _ = try insertDirective(NewDirective(platformID: shop.platform, type: "event", platformMerchantID: shop.key, uscc: uscc,
                                                 payload: payload), now: now)
        }
    }

    /// The storefronts (merchant records) filed under a USCC on every platform, in platform and key order.
    func storefronts(uscc: String) throws -> [(platform: String, key: String)] {
        let s = try database.prepare("SELECT platform_id, key FROM records WHERE uscc = ? AND type = 'merchant' ORDER BY platform_id, key")
        defer { s.reset() }
        try s.bind(all: uscc)
        var out: [(platform: String, key: String)] = []
        while try s.step() { out.append((s.string(0) ?? "", s.string(1) ?? "")) }
        return out
    }

    /// Steps after a sequence number, oldest first: the export a case system reads.
    public func leadSteps(after seq: Int64, limit: Int) throws -> [LeadStepRecord] {
        try leadSteps(where: "seq > ?1", seq, nil, limit: limit)
    }

    /// The leads filed under one USCC, with their steps (for the enterprise's profile).
    public func leads(uscc: String, today: CivilDate) throws -> [Lead] {
        try leads(LeadFilter(jurisdiction: .everything, uscc: uscc), today: today, limit: 1_000).compactMap {
            try lead(platformID: $0.platformID, caseID: $0.caseID, today: today)
        }
    }

    private func leadSteps(where condition: String, _ first: some SQLBindable, _ second: String?, limit: Int) throws -> [LeadStepRecord] {
        let s = try database.prepare("""
            SELECT seq, platform_id, case_key, uscc, at, officer, role, action, assignee, note, transferred_to, measure,
                   penalty_fen, stage_after
            FROM lead_steps WHERE \(condition) ORDER BY seq LIMIT ?3
            """)
        defer { s.reset() }
        try s.bind(all: first, second, limit)
        var out: [LeadStepRecord] = []
        while try s.step() {
            out.append(LeadStepRecord(
                seq: s.int64(0), platformID: s.string(1) ?? "", caseID: s.string(2) ?? "", uscc: s.string(3),
                at: Timestamp.iso(s.int64(4)), officer: s.string(5) ?? "", role: s.string(6),
                step: LeadStep(action: LeadAction(rawValue: s.string(7) ?? "") ?? .verify, assignee: s.string(8),
                               note: s.string(9), transferredTo: s.string(10), measure: s.string(11),
                               penaltyFen: s.int64OrNil(12)),
                stageAfter: LeadStage(rawValue: s.string(13) ?? "") ?? .new))
        }
        return out
    }
}
