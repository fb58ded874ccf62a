import SandboxCore
import SandboxStorage
import SandboxWire

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

    /// The condition (on `lead_queue q`) that keeps a jurisdiction's rows, with its one parameter
    /// as ?10: the whole country's rows (place ''), a district's own (its registration division
    /// and storefront regions, LeadQueueRows), or the whole country's rows of an association's
    /// members.
    static func queuePlace(_ j: Jurisdiction) -> (sql: String, value: String?) {
        switch j {
        case .everything:
            return ("q.place = ''", nil)
        case .district(let code):
            return ("q.place = ?10 AND ?10 <> ''", code)
        case .association(let id):
            return ("q.place = '' AND q.uscc IN (SELECT uscc FROM association_members WHERE association = ?10)", id)
        }
    }

    /// The queue's order, overdue first (the case's state says so, or its deadline is before
    /// today), then by deadline (none last), then as opened, cut into the ranges of
    /// `lead_queue_order` it is made of: (overdue?, state overdue, has a deadline, deadline range).
    private static let queueRanges: [(overdue: Int, condition: String)] = [
        (1, "q.overdue_state = 1 AND q.no_deadline = 0"),
        (1, "q.overdue_state = 1 AND q.no_deadline = 1"),
        (1, "q.overdue_state = 0 AND q.no_deadline = 0 AND q.deadline < ?4"),
        (0, "q.overdue_state = 0 AND q.no_deadline = 0 AND q.deadline >= ?4"),
        (0, "q.overdue_state = 0 AND q.no_deadline = 1"),
    ]

    /// A queue: overdue first, then by deadline (none last), then as opened, then by platform and
    /// case. Read from the kept sort keys (`lead_queue`): each range of the queue's order gives at
    /// most `limit` rows from its index range, so a page costs its size, not the place's cases.
    public func leads(_ filter: LeadFilter, today: CivilDate, limit: Int) throws -> [Lead] {
        // Pending or not is a column of the index: a stage says which; else the open leads, or both.
        let pendings: [Int]
        switch (filter.stage, filter.pending) {
        case (let stage?, true) where stage.isFinal: return []
        case (let stage?, _): pendings = [stage.isFinal ? 0 : 1]
        case (nil, true): pendings = [1]
        case (nil, false): pendings = [1, 0]
        }
        let (place, value) = Self.queuePlace(filter.jurisdiction)
        let ranges = pendings.flatMap { pending in Self.queueRanges.map { (pending, $0) } }.enumerated().map { n, branch in
            let (pending, range) = branch
            return
                """
                SELECT * FROM (SELECT \(range.overdue) AS overdue, q.platform_id, q.case_key, q.no_deadline, q.deadline, q.opened_at
                    FROM lead_queue q
                    WHERE \(place) AND q.pending = \(pending) AND \(range.condition)
                      AND (?1 IS NULL OR q.stage = ?1) AND (?2 IS NULL OR q.assignee = ?2) AND \(Self.onlyUSCC("q.uscc", filter.uscc, 3))
                    ORDER BY q.deadline, q.opened_at, q.platform_id, q.case_key LIMIT ?5) r\(n)
                """
        }
        // The page's keys are ordered and cut to `limit` before any case is read: joined to
        // `records` as a union of up to five ranges, PostgreSQL hashed every case of the city
        // (32,801 at 469,000 merchants, 135–270 ms) to join the 1,500 keys; cut first, it looks
        // the 500 up (12–16 ms).
        let s = try database.prepare("""
            WITH ranges AS (\(ranges.joined(separator: "\nUNION ALL\n"))),
            page AS (SELECT * FROM ranges ORDER BY overdue DESC, no_deadline, deadline, opened_at, platform_id, case_key LIMIT ?5)
            SELECT r.platform_id, r.key, r.uscc, r.data, l.stage, l.assignee, l.updated_at FROM page q
            JOIN records r ON r.platform_id = q.platform_id AND r.type = 'case' AND r.key = q.case_key
            LEFT JOIN leads l ON l.platform_id = q.platform_id AND l.case_key = q.case_key
            ORDER BY q.overdue DESC, q.no_deadline, q.deadline, q.opened_at, q.platform_id, q.case_key
            LIMIT ?5
            """)
        defer { s.reset() }
        try s.bind(all: filter.stage?.rawValue, filter.assignee, filter.uscc, today.description, limit)
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
                    assignee: s.string(5), stageSince: s.int64OrNil(6).map(UTCTime.rfc3339), steps: [])
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
            try LeadQueueRows.keep(database, LeadQueueRows.oneCase, platformID, caseID)  // its stage and assignee in the queue
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
            "occurred_at": .string(UTCTime.rfc3339(now)),
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
        while try s.step() { out.append(Self.leadStep(s)) }
        return out
    }

    /// `lead(platformID:caseID:today:)` for many cases in two statements, by "PLATFORM/CASE" (a
    /// bulk action's rows; two statements a row made a 200-row preview 185–204 ms on PostgreSQL
    /// at 469,000 merchants); a case never sent is absent.
    public func leads(cases: [(platformID: String, caseID: String)], today: CivilDate) throws -> [String: Lead] {
        guard !cases.isEmpty else { return [:] }
        let keys = CaseKeys.json(cases)
        let s = try database.prepare("""
            SELECT r.platform_id, r.key, r.uscc, r.data, l.stage, l.assignee, l.updated_at
            FROM \(dialect.jsonObjects(1)) AS e
            JOIN records r ON r.platform_id = json_extract(e.value, '$.p') AND r.type = 'case' AND r.key = json_extract(e.value, '$.c')
            LEFT JOIN leads l ON l.platform_id = r.platform_id AND l.case_key = r.key
            """)
        defer { s.reset() }
        try s.bind(all: keys)
        var found: [String: Lead] = [:]
        while try s.step() {
            let lead = Self.lead(s, today: today)
            found[CaseKeys.key(lead.platformID, lead.caseID)] = lead
        }
        s.reset()
        let steps = try database.prepare("""
            SELECT st.seq, st.platform_id, st.case_key, st.uscc, st.at, st.officer, st.role, st.action, st.assignee, st.note,
                   st.transferred_to, st.measure, st.penalty_fen, st.stage_after
            FROM \(dialect.jsonObjects(1)) AS e
            JOIN lead_steps st ON st.platform_id = json_extract(e.value, '$.p') AND st.case_key = json_extract(e.value, '$.c')
            ORDER BY st.seq
            """)
        defer { steps.reset() }
        try steps.bind(all: keys)
        while try steps.step() {
            let step = Self.leadStep(steps)
            found[CaseKeys.key(step.platformID, step.caseID)]?.steps.append(step)
        }
        return found
    }

    /// A step from the columns seq, platform_id, case_key, uscc, at, officer, role, action,
    /// assignee, note, transferred_to, measure, penalty_fen, stage_after.
    private static func leadStep(_ s: any SQLStatement) -> LeadStepRecord {
            LeadStepRecord(
                seq: s.int64(0), platformID: s.string(1) ?? "", caseID: s.string(2) ?? "", uscc: s.string(3),
                at: UTCTime.rfc3339(s.int64(4)), officer: s.string(5) ?? "", role: s.string(6),
                step: LeadStep(action: LeadAction(rawValue: s.string(7) ?? "") ?? .verify, assignee: s.string(8),
                               note: s.string(9), transferredTo: s.string(10), measure: s.string(11),
                               penaltyFen: s.int64OrNil(12)),
                stageAfter: LeadStage(rawValue: s.string(13) ?? "") ?? .new)
    }
}
