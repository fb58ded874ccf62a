import SandboxCore
@testable import SandboxRegulator

/// The outcome report's figures as `outcomes` counted them until schema step 25: the period's by
/// a scan of `records` with `json_extract` and `julianday` on every call, a region's storefronts by
/// a scan of `enterprise_platforms`. Kept here, out of the production code, as the oracle the kept
/// counts (`outcome_counts`, `division_storefronts`, `division_enterprises`) must equal.
enum OutcomeScanOracle {
    static func figures(_ s: StoreSession, from: CivilDate, to: CivilDate, region: String?) throws -> [OutcomeFigure: Int] {
        // The period as instants: from's midnight to the midnight after `to`, Asia/Shanghai.
        let start = "\(from)T00:00:00+08:00", end = "\(to.adding(days: 1))T00:00:00+08:00"
        let inRegion = "(?1 IS NULL OR substr(uscc, 3, length(?1)) = ?1)"
        func within(_ field: String) -> String {
            "julianday(json_extract(data, '$.\(field)')) >= julianday(?2) AND julianday(json_extract(data, '$.\(field)')) < julianday(?3)"
        }
        func counts(_ sql: String, columns: Int) throws -> [Int] {
            let q = try s.database.prepare(sql)
            defer { q.reset() }
            try q.bind(all: region, start, end)
            guard try q.step() else { return Array(repeating: 0, count: columns) }
            return (0..<columns).map { q.int(Int32($0)) }
        }
        let prompts = try counts("SELECT count(*) FROM records WHERE type = 'prompt' AND \(inRegion) AND \(within("issued_at"))", columns: 1)
        let leads = try counts("SELECT count(*) FROM records WHERE type = 'case' AND \(inRegion) AND \(within("opened_at"))", columns: 1)
        let rectified = try counts("""
            SELECT count(*), count(CASE WHEN json_extract(data, '$.in_time') = \(s.dialect.jsonTrue) THEN 1 END) FROM records
            WHERE type = 'case' AND \(inRegion) AND \(within("rectified_at"))
            """, columns: 2)
        let recommendations = try counts("""
            SELECT count(*) FROM records WHERE type = 'case' AND \(inRegion) AND \(within("rectified_at"))
              AND json_type(data, '$.determination') = 'object'
            """, columns: 1)
        let measures = try counts("""
            SELECT count(CASE WHEN json_extract(data, '$.type') = 'suspend' THEN 1 END), count(CASE WHEN json_extract(data, '$.type') = 'terminate' THEN 1 END),
                   count(CASE WHEN json_extract(data, '$.type') = 'takedown' THEN 1 END)
            FROM records WHERE type = 'instruction' AND \(inRegion) AND \(within("issued_at"))
            """, columns: 3)
        return [.promptsPushed: prompts[0], .leads: leads[0], .rectified: rectified[0], .rectifiedInTime: rectified[1],
                .noPenaltyRecommendations: recommendations[0], .suspensions: measures[0], .terminations: measures[1],
                .takedowns: measures[2]]
    }

    /// Storefronts, enterprises and platforms in a region or the city, as the report read them
    /// until schema step 25: the city from `record_counts` and `enterprises`, a region by a scan of
    /// the per-enterprise view; the storefronts less those reported closed and the enterprises
    /// with a storefront still trading (issue 13), by scans.
    static func storefronts(_ s: StoreSession, region: String?) throws -> [String: Int] {
        let inRegion = "substr(uscc, 3, length(?1)) = ?1"
        func counts(_ sql: String) throws -> [Int] {
            let q = try s.database.prepare(sql)
            defer { q.reset() }
            try q.bind(1, region)
            _ = try q.step()
            return [q.int(0), q.int(1), q.int(2)]
        }
        let closed = """
            (SELECT count(*) FROM records WHERE type = 'merchant' AND json_extract(data, '$.status') IN ('closed', '关闭')
               AND (?1 IS NULL OR \(inRegion)))
            """
        let c = try counts(region == nil
            ? """
              SELECT (SELECT coalesce(sum(records), 0) FROM record_counts WHERE type = 'merchant') - \(closed), 0,
                     (SELECT count(*) FROM record_counts WHERE type = 'merchant' AND records > 0) WHERE ?1 IS NULL
              """
            : """
              SELECT coalesce(sum(merchants), 0) - \(closed), 0, count(DISTINCT platform_id) FROM enterprise_platforms
              WHERE merchants > 0 AND \(inRegion)
              """)
        // The enterprises with a storefront still trading (issue 13), by a scan of the storefronts.
        let trading = try counts("""
            SELECT count(DISTINCT uscc), 0, 0 FROM records
            WHERE type = 'merchant' AND uscc IS NOT NULL AND (?1 IS NULL OR \(inRegion))
              AND (json_extract(data, '$.status') IS NULL OR json_extract(data, '$.status') NOT IN ('closed', '关闭'))
            """)
        return ["merchants": c[0], "enterprises": trading[0], "platforms": c[2]]
    }

    static func storefronts(of r: OutcomeReport) -> [String: Int] {
        ["merchants": r.merchants, "enterprises": r.enterprises, "platforms": r.platforms]
    }

    /// The same figures of a report (OutcomeReport's fields), to compare with `figures`.
    static func figures(of r: OutcomeReport) -> [OutcomeFigure: Int] {
        [.promptsPushed: r.promptsPushed, .leads: r.leads, .rectified: r.rectified, .rectifiedInTime: r.rectifiedInTime,
         .noPenaltyRecommendations: r.noPenaltyRecommendations, .suspensions: r.suspensions, .terminations: r.terminations,
         .takedowns: r.takedowns]
    }
}
