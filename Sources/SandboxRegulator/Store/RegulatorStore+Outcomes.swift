import SandboxCore
import SandboxStorage

// The outcome figures (OutcomeReport) from the records, lead steps and association lists.
extension StoreSession {
    public func outcomes(from: CivilDate, to: CivilDate, region: String?, now: Int64) throws -> OutcomeReport {
        // The period as instants: from's midnight to the midnight after `to`, Asia/Shanghai.
        // julianday() reads the agents' RFC 3339 times whatever their offset.
        let start = "\(from)T00:00:00+08:00", end = "\(to.adding(days: 1))T00:00:00+08:00"
        let inRegion = "(?1 IS NULL OR substr(uscc, 3, length(?1)) = ?1)"
        /// The first `columns` counts of the query's one row.
        func counts(_ sql: String, period: Bool, columns: Int) throws -> [Int64] {
            let s = try database.prepare(sql)
            defer { s.reset() }
            try s.bind(1, region)
            if period { try s.bind(2, start); try s.bind(3, end) }
            guard try s.step() else { return Array(repeating: 0, count: columns) }
            return (0..<columns).map { s.int64(Int32($0)) }
        }
        func count(_ sql: String, period: Bool = false) throws -> (Int64, Int64) {
            let c = try counts(sql, period: period, columns: 2)
            return (c[0], c[1])
        }
        func within(_ field: String) -> String {
            "julianday(json_extract(data, '$.\(field)')) >= julianday(?2) AND julianday(json_extract(data, '$.\(field)')) < julianday(?3)"
        }
        /// A column of Unix seconds within the period.
        func secondsWithin(_ column: String) -> String {
            "\(column) >= (julianday(?2) - 2440587.5) * 86400 AND \(column) < (julianday(?3) - 2440587.5) * 86400"
        }
        // Storefronts, enterprises and platforms from the figures the intake keeps (record_counts,
        // enterprise_platforms), not from the records: the whole city is a few thousand rows, a
        // region one scan of the per-enterprise view. Storefronts without a USCC (natural
        // persons) count in the city's total only, as they always did.
        let merchants = try count(region == nil
            ? """
              SELECT (SELECT coalesce(sum(records), 0) FROM record_counts WHERE type = 'merchant'),
                     (SELECT count(*) FROM enterprises WHERE platforms > 0) WHERE coalesce(?1, '') = ''
              """
            : "SELECT coalesce(sum(merchants), 0), count(DISTINCT uscc) FROM enterprise_platforms WHERE merchants > 0 AND \(inRegion)")
        let platforms = try count(region == nil
            ? "SELECT count(*), 0 FROM record_counts WHERE type = 'merchant' AND records > 0 AND coalesce(?1, '') = ''"
            : "SELECT count(DISTINCT platform_id), 0 FROM enterprise_platforms WHERE merchants > 0 AND \(inRegion)")
        let associations = try count("SELECT count(DISTINCT association), 0 FROM association_members WHERE \(inRegion)")
        let prompts = try count("SELECT count(*), 0 FROM records WHERE type = 'prompt' AND \(inRegion) AND \(within("issued_at"))", period: true)
        let leads = try count("SELECT count(*), 0 FROM records WHERE type = 'case' AND \(inRegion) AND \(within("opened_at"))", period: true)
        let rectified = try count("""
            SELECT count(*), count(CASE WHEN json_extract(data, '$.in_time') = \(dialect.jsonTrue) THEN 1 END) FROM records
            WHERE type = 'case' AND \(inRegion) AND \(within("rectified_at"))
            """, period: true)
        let recommendations = try count("""
            SELECT count(*), 0 FROM records WHERE type = 'case' AND \(inRegion) AND \(within("rectified_at"))
              AND json_type(data, '$.determination') = 'object'
            """, period: true)
        let measures = try counts("""
            SELECT count(CASE WHEN json_extract(data, '$.type') = 'suspend' THEN 1 END), count(CASE WHEN json_extract(data, '$.type') = 'terminate' THEN 1 END),
                   count(CASE WHEN json_extract(data, '$.type') = 'takedown' THEN 1 END)
            FROM records WHERE type = 'instruction' AND \(inRegion) AND \(within("issued_at"))
            """, period: true, columns: 3)
        let closed = try count("""
            SELECT count(*), coalesce(sum(penalty_fen), 0) FROM lead_steps
            WHERE action = 'close' AND \(inRegion) AND \(secondsWithin("at"))
            """, period: true)
        let repairs = try count("""
            SELECT count(*), 0 FROM repairs WHERE state = 'approved' AND \(inRegion)
              AND \(secondsWithin("decided_at"))
            """, period: true)
        let decisions = try count("""
            SELECT count(*), 0 FROM determinations
            WHERE decision IN ('no_penalty', 'may_not_penalize_applied') AND \(inRegion)
              AND \(secondsWithin("decided_at"))
            """, period: true)
        let members = try keptRosterMembers(region: region, now: now)
        return OutcomeReport(
            from: from.description, to: to.description, region: region, platforms: Int(platforms.0),
            associations: Int(associations.0), merchants: Int(merchants.0), enterprises: Int(merchants.1),
            sandboxMembers: members, promptsPushed: Int(prompts.0), leads: Int(leads.0), rectified: Int(rectified.0),
            rectifiedInTime: Int(rectified.1), noPenaltyRecommendations: Int(recommendations.0), noPenaltyDecisions: Int(decisions.0),
            suspensions: Int(measures[0]), terminations: Int(measures[1]), takedowns: Int(measures[2]), leadsClosed: Int(closed.0), penaltiesFen: closed.1,
            repairs: Int(repairs.0))
    }
}
