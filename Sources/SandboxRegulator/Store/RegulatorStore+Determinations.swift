import SandboxCore
import SandboxStorage
import SandboxWire

/// Why a decision was refused.
public enum DeterminationRefusal: Error, Sendable, Equatable {
    case noSuchRecommendation
    case invalid(String)
}

// Officers' decisions on the agents' art. 33 recommendations (行政处罚法 art. 33).
extension StoreSession {
    /// Recommendations in a jurisdiction: the undecided first (oldest rectification first), a
    /// page of `limit` after `offset`, from the place's recommendation queue in `lead_queue`.
    public func recommendations(jurisdiction: Jurisdiction, pending: Bool, limit: Int, offset: Int = 0) throws -> [Recommendation] {
        let (place, value) = Self.queuePlace(jurisdiction)
        // The page's keys from the place's recommendation queue (`lead_queue_recommendations`,
        // schema step `caseQueues`) and their decisions, the case records joined for the page
        // only: every recommendation in the country with a check of its jurisdiction took
        // minutes for a district at 20,000,000 merchants. The page's cases with their JSON and
        // decision in one statement, and "first" for all of them in a second
        // (`judgedFirst(page:)`): two round trips to PostgreSQL for the page, where a statement
        // per row made it 0.4 s at 469,000 merchants.
        let s = try database.prepare("""
            SELECT k.platform_id, k.case_key, r.uscc, r.data, k.decision, k.decided_by, k.decided_at, k.directive_id
            FROM (SELECT q.platform_id, q.case_key, q.rectified_at, d.decision, d.decided_by, d.decided_at, d.directive_id
                  FROM lead_queue q
                  LEFT JOIN determinations d ON d.platform_id = q.platform_id AND d.case_key = q.case_key
                  WHERE \(place) AND q.recommendation IN ('no_penalty', 'may_not_penalize') AND (?1 = 0 OR d.decision IS NULL)
                  ORDER BY d.decision IS NOT NULL, q.rectified_at, q.platform_id, q.case_key LIMIT ?2 OFFSET ?3) k
            JOIN records r ON r.platform_id = k.platform_id AND r.type = 'case' AND r.key = k.case_key
            ORDER BY k.decision IS NOT NULL, k.rectified_at, k.platform_id, k.case_key
            """)
        defer { s.reset() }
        try s.bind(all: pending, limit, offset)
        if let value { try s.bind(10, value) }
        var found: [Recommendation] = []
        while try s.step() {
            if let rec = Self.recommendation(s, platformID: s.string(0) ?? "", caseID: s.string(1) ?? "", from: 2) { found.append(rec) }
        }
        s.reset()
        return try judgedFirst(page: found)
    }

    /// One recommendation with the regulator's judgment of "first" and its decision, if any.
    public func recommendation(platformID: String, caseID: String) throws -> Recommendation? {
        let s = try database.prepare("""
            SELECT r.uscc, r.data, d.decision, d.decided_by, d.decided_at, d.directive_id FROM records r
            LEFT JOIN determinations d ON d.platform_id = r.platform_id AND d.case_key = r.key
            WHERE r.platform_id = ? AND r.type = 'case' AND r.key = ?
            """)
        defer { s.reset() }
        try s.bind(all: platformID, caseID)
        guard try s.step(), let rec = Self.recommendation(s, platformID: platformID, caseID: caseID, from: 0) else { return nil }
        s.reset()
        return try judgedFirst(rec)
    }

    /// `recommendation(platformID:caseID:)` for many cases in two statements, by "PLATFORM/CASE"
    /// (a bulk action's rows); a case that recommends nothing under art. 33 is absent.
    public func recommendations(cases: [(platformID: String, caseID: String)]) throws -> [String: Recommendation] {
        guard !cases.isEmpty else { return [:] }
        let keys = CaseKeys.json(cases)
        let s = try database.prepare("""
            SELECT r.platform_id, r.key, r.uscc, r.data, d.decision, d.decided_by, d.decided_at, d.directive_id
            FROM \(dialect.jsonObjects(1)) AS e
            JOIN records r ON r.platform_id = json_extract(e.value, '$.p') AND r.type = 'case' AND r.key = json_extract(e.value, '$.c')
            LEFT JOIN determinations d ON d.platform_id = r.platform_id AND d.case_key = r.key
            """)
        defer { s.reset() }
        try s.bind(all: keys)
        var found: [Recommendation] = []
        while try s.step() {
            if let rec = Self.recommendation(s, platformID: s.string(0) ?? "", caseID: s.string(1) ?? "", from: 2) { found.append(rec) }
        }
        s.reset()
        return Dictionary(try judgedFirst(page: found).map { (CaseKeys.key($0.platformID, $0.caseID), $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// A recommendation from the columns uscc, data, decision, decided_by, decided_at,
    /// directive_id starting at `first`; nil when the case recommends nothing under art. 33.
    private static func recommendation(_ s: any SQLStatement, platformID: String, caseID: String, from first: Int32) -> Recommendation? {
        let data = JSONValue.parse(Array((s.string(first + 1) ?? "null").utf8)) ?? .null
        guard let recommended = data["determination"]?["result"]?.stringValue,
              recommended == "no_penalty" || recommended == "may_not_penalize" else { return nil }
        var firstOnPlatform: Bool?
        if case .bool(let b)? = data["determination"]?["criteria"]?["first"]?["holds"] { firstOnPlatform = b }
        return Recommendation(
            platformID: platformID, caseID: caseID, uscc: s.string(first), platformMerchantID: data["platform_merchant_id"]?.stringValue,
            ruleID: data["rule_id"]?.stringValue ?? "", severity: data["severity"]?.stringValue, recommended: recommended,
            rectifiedAt: data["rectified_at"]?.stringValue, firstOnPlatform: firstOnPlatform, firstHere: true, earlierCases: [],
            openedAt: data["opened_at"]?.stringValue,
            educationNote: data["determination"]?["note"]?.stringValue, decision: s.string(first + 2), decidedBy: s.string(first + 3),
            decidedAt: s.int64OrNil(first + 4).map(UTCTime.rfc3339), directiveID: s.string(first + 5))
    }

    /// The regulator's own judgment of "first": earlier cases of the rule under the USCC on any
    /// platform, and leads closed on it, in the year before the case opened.
    private func judgedFirst(_ found: Recommendation) throws -> Recommendation {
        var rec = found
        if let uscc = rec.uscc, let opened = rec.openedAt {
            rec.earlierCases = try earlierCases(uscc: uscc, ruleID: rec.ruleID, openedAt: opened, except: (rec.platformID, rec.caseID))
            rec.firstHere = rec.earlierCases.isEmpty
        }
        return rec
    }

    /// `judgedFirst` for a page of recommendations in one statement: the page goes in as one JSON
    /// parameter, each row numbered, and the earlier cases and closed leads come back under their
    /// row's number — the same conditions as `earlierCases`, which judges one.
    private func judgedFirst(page: [Recommendation]) throws -> [Recommendation] {
        var rows: [JSONValue] = []
        for (i, rec) in page.enumerated() {
            guard let uscc = rec.uscc, let opened = rec.openedAt else { continue }
            rows.append(.object(["i": .int(Int64(i)), "uscc": .string(uscc), "rule": .string(rec.ruleID), "opened": .string(opened),
                                 "platform": .string(rec.platformID), "key": .string(rec.caseID)]))
        }
        guard !rows.isEmpty else { return page }
        let s = try database.prepare("""
            WITH page AS (
                SELECT CAST(json_extract(e.value, '$.i') AS INTEGER) AS i, json_extract(e.value, '$.uscc') AS uscc,
                       json_extract(e.value, '$.rule') AS rule, julianday(json_extract(e.value, '$.opened')) AS opened,
                       json_extract(e.value, '$.platform') AS platform, json_extract(e.value, '$.key') AS key
                FROM \(dialect.jsonObjects(1)) AS e
            )
            SELECT p.i, r.platform_id || '/' || r.key FROM page p JOIN records r ON r.uscc = p.uscc AND r.type = 'case'
            WHERE json_extract(r.data, '$.rule_id') = p.rule AND json_extract(r.data, '$.state') != 'withdrawn'
              AND julianday(json_extract(r.data, '$.opened_at')) < p.opened
              AND julianday(json_extract(r.data, '$.opened_at')) >= p.opened - 365
              AND NOT (r.platform_id = p.platform AND r.key = p.key)
            UNION ALL
            SELECT p.i, 'lead:' || l.platform_id || '/' || l.case_key FROM page p JOIN lead_steps l ON l.uscc = p.uscc
            WHERE l.action = 'close' AND l.at < (p.opened - 2440587.5) * 86400 AND l.at >= (p.opened - 365 - 2440587.5) * 86400
            """)
        defer { s.reset() }
        try s.bind(all: JSONValue.array(rows).jsonText)
        var earlier = [[String]](repeating: [], count: page.count)
        while try s.step() {
            let i = s.int(0)
            if earlier.indices.contains(i), let k = s.string(1) { earlier[i].append(k) }
        }
        return page.enumerated().map { i, found in
            var rec = found
            guard rec.uscc != nil, rec.openedAt != nil else { return rec }
            rec.earlierCases = earlier[i].sorted()
            rec.firstHere = rec.earlierCases.isEmpty
            return rec
        }
    }

    /// Cases of the same rule under the USCC on any platform opened in the 365 days before
    /// `openedAt`, and leads the regulator closed on it in that time: what makes it not first.
    func earlierCases(uscc: String, ruleID: String, openedAt: String, except: (String, String)) throws -> [String] {
        let s = try database.prepare("""
            SELECT platform_id || '/' || key FROM records
            WHERE uscc = ?1 AND type = 'case' AND json_extract(data, '$.rule_id') = ?2
              AND json_extract(data, '$.state') != 'withdrawn'
              AND julianday(json_extract(data, '$.opened_at')) < julianday(?3)
              AND julianday(json_extract(data, '$.opened_at')) >= julianday(?3) - 365
              AND NOT (platform_id = ?4 AND key = ?5)
            UNION ALL
            SELECT 'lead:' || platform_id || '/' || case_key FROM lead_steps
            WHERE uscc = ?1 AND action = 'close' AND at < (julianday(?3) - 2440587.5) * 86400
              AND at >= (julianday(?3) - 365 - 2440587.5) * 86400
            ORDER BY 1
            """)
        defer { s.reset() }
        try s.bind(all: uscc, ruleID, openedAt, except.0, except.1)
        var out: [String] = []
        while try s.step() { if let k = s.string(0) { out.append(k) } }
        return out
    }

    /// Records an officer's decision, once; when the merchant is not penalised, the education
    /// note goes to the platform as a `determination` directive in the same transaction.
    public func decide(platformID: String, caseID: String, _ decision: Art33Decision, note: String?, officer: String,
                       role: String?, issuer: String, now: Int64) throws -> (Recommendation, Directive?) {
        try database.transaction {
            guard let rec = try recommendation(platformID: platformID, caseID: caseID) else {
                throw DeterminationRefusal.noSuchRecommendation
            }
            guard rec.decision == nil else {
                throw DeterminationRefusal.invalid("this recommendation was decided already (\(rec.decision!) by \(rec.decidedBy ?? "?"))")
            }
            if let problem = decision.problem(recommended: rec.recommended, firstHere: rec.firstHere) {
                throw DeterminationRefusal.invalid(problem)
            }
            var directive: Directive?
            if decision.educates {
                let education = note ?? rec.educationNote ?? "请认真学习相关法律法规，依法诚信经营。"
                directive = try insertDirective(NewDirective(
                    platformID: platformID, type: "determination", platformMerchantID: rec.platformMerchantID, uscc: rec.uscc,
                    payload: .object([
                        "case_id": .string(caseID), "rule_id": .string(rec.ruleID), "decision": .string(decision.rawValue),
                        "basis": .string("《中华人民共和国行政处罚法》第三十三条"), "education_note": .string(education),
                        "issuer": .string(issuer), "decided_by": .string(officer), "decided_at": .string(UTCTime.rfc3339(now)),
                        "receipt_expected": .bool(true),
                    ])), now: now)
            }
            let s = try database.prepare("""
                INSERT INTO determinations (platform_id, case_key, uscc, recommended, first_here, decision, note, decided_by, role,
                                            decided_at, directive_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            defer { s.reset() }
            try s.bind(all: platformID, caseID, rec.uscc, rec.recommended, rec.firstHere, decision.rawValue, note, officer, role,
                       now, directive?.id)
            try s.step()
            return (try recommendation(platformID: platformID, caseID: caseID)!, directive)
        }
    }
}
