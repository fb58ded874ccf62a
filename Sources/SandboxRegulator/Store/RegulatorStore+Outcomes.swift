import SandboxCore
import SandboxStorage

// The outcome figures (OutcomeReport) from what the intake keeps (record counts, storefronts and
// enterprises per division, the outcome counts per day), the kept roster, lead steps, repairs,
// decisions and association lists: nothing here reads `records`.
extension StoreSession {
    /// The storefronts reported closed, of the region ?1 (NULL: all), from their kept counts
    /// per division (RegulatorSchema.closedCounts; '' holds those without a USCC, the city's only).
    static let closedStorefrontsQuery = """
        SELECT coalesce(sum(storefronts), 0) FROM closed_storefronts
        WHERE ?1 IS NULL OR (division <> '' AND substr(division, 1, length(?1)) = ?1)
        """

    public func outcomes(from: CivilDate, to: CivilDate, region: String?, now: Int64) throws -> OutcomeReport {
        // The period as instants (for the staff tables' Unix seconds): from's midnight to the
        // midnight after `to`, Asia/Shanghai.
        let start = "\(from)T00:00:00+08:00", end = "\(to.adding(days: 1))T00:00:00+08:00"
        let inRegion = "(?1 IS NULL OR substr(uscc, 3, length(?1)) = ?1)"
        let inDivisions = "substr(division, 1, length(?1)) = ?1"
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
        /// A column of Unix seconds within the period.
        func secondsWithin(_ column: String) -> String {
            "\(column) >= (julianday(?2) - 2440587.5) * 86400 AND \(column) < (julianday(?3) - 2440587.5) * 86400"
        }
        // Storefronts, enterprises and platforms from the figures the intake keeps, not from the
        // records: storefronts and platforms of the city from record_counts (a few rows a
        // platform), a region's from its divisions' rows (division_storefronts); enterprises from
        // division_enterprises, all rows or the region's. Storefronts without a USCC (natural
        // persons) count in the city's total only, as they always did.
        // The merchants are the storefronts trading now (issue 13: what an official calls the
        // city's online merchants): those the platforms reported closed are taken away, from the
        // counts the intake keeps per division (RegulatorSchema.closedCounts).
        // Likewise the enterprises are those with a storefront still trading: the intake keeps
        // them per division (`division_enterprises.trading`, RegulatorSchema.tradingEnterprises).
        let closedStorefronts = "(\(Self.closedStorefrontsQuery))"
        let merchants = try count(region == nil
            ? """
              SELECT (SELECT coalesce(sum(records), 0) FROM record_counts WHERE type = 'merchant') - \(closedStorefronts),
                     (SELECT coalesce(sum(trading), 0) FROM division_enterprises) WHERE coalesce(?1, '') = ''
              """
            : """
              SELECT (SELECT coalesce(sum(merchants), 0) FROM division_storefronts WHERE \(inDivisions)) - \(closedStorefronts),
                     (SELECT coalesce(sum(trading), 0) FROM division_enterprises WHERE \(inDivisions))
              """)
        let platforms = try count(region == nil
            ? "SELECT count(*), 0 FROM record_counts WHERE type = 'merchant' AND records > 0 AND coalesce(?1, '') = ''"
            : "SELECT count(DISTINCT platform_id), 0 FROM division_storefronts WHERE merchants > 0 AND \(inDivisions)")
        let associations = try count("SELECT count(DISTINCT association), 0 FROM association_members WHERE \(inRegion)")
        // The period's prompts, cases, rectifications, recommendations and instructions from the
        // counts the intake keeps per day and division (OutcomeContribution), not from the records.
        var counted: [OutcomeFigure: Int] = [:]
        for c in try outcomeCounts(from: from, to: to, region: region, byDay: false) { counted[c.figure, default: 0] += c.count }
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
            sandboxMembers: members.members, sandboxMembersUndecided: members.undecided,
            sandboxMembersUndecidedIsMore: members.undecidedIsMore, promptsPushed: counted[.promptsPushed] ?? 0, leads: counted[.leads] ?? 0,
            rectified: counted[.rectified] ?? 0, rectifiedInTime: counted[.rectifiedInTime] ?? 0,
            noPenaltyRecommendations: counted[.noPenaltyRecommendations] ?? 0, noPenaltyDecisions: Int(decisions.0),
            suspensions: counted[.suspensions] ?? 0, terminations: counted[.terminations] ?? 0, takedowns: counted[.takedowns] ?? 0,
            leadsClosed: Int(closed.0), penaltiesFen: closed.1,
            repairs: Int(repairs.0))
    }
}
