import SandboxCore

extension ExportProcessor {
    static let lastReverificationKey = "last_calendar_reverification"

    /// What the stored re-verification days were computed under: the verification's numbers
    /// and the version of its date rules (`QualificationVerifier.nextDateChange`). Another basis
    /// (a changed policy, an agent whose rules compare other dates) makes every merchant due.
    static let reverificationBasisKey = "calendar_reverification_basis"
    static let dateRulesVersion = 1

    /// Re-verifies, once per day (Asia/Shanghai), the stored merchants whose findings could have
    /// changed with the calendar since they were last verified.
    ///
    /// Some findings change with the calendar, not with an export: a licence expires, the
    /// platform's verification passes six months, the annual-report deadline passes. An unchanged
    /// merchant is never re-verified on ingest (that is what keeps a re-export cheap), so this
    /// daily pass catches them. Each verification stores the merchant's next such day
    /// (`reverify_on`, schema v14); the pass takes the merchants due by today, not all of them
    /// (issue 16: 469,000 every day were two thirds of a steady day's run). Only changed findings
    /// are written and reported (`trigger: calendar`). Returns the number of merchants whose
    /// findings changed, nil when today was already done.
    func reverifyIfNewDay(clock: AgentClock) throws -> Int? {
        let today = clock.today
        let basis = Self.reverificationBasis(verifier.policy)
        // Once a day; and at once when the numbers changed (a rule pack with another
        // `[verification]`): every merchant's findings may change with them.
        if let last = try state.meta(Self.lastReverificationKey), last >= today.description,
           try state.meta(Self.reverificationBasisKey) == basis { return nil }
        let reports = ReportSet(config: config, claimedAt: clock.unixNanoseconds)
        var tally = Tally()
        var verified = 0
        do {
            try state.transaction {
                // Under another basis every merchant is due; each verification stores its new day.
                let sameBasis = try state.meta(Self.reverificationBasisKey) == basis
                try state.withSmallPageCache {
                    try state.forEachMerchant(dueBy: sameBasis ? today : nil) { m in
                        verified += 1
                        try verify(m, file: nil, reports: reports, tally: &tally, clock: clock)
                    }
                }
                try state.setMeta(Self.reverificationBasisKey, basis)
                try state.setMeta(Self.lastReverificationKey, today.description)
                try reports.commit(state: state, unixTime: clock.unixTime)
            }
        } catch {
            reports.discard()
            throw error
        }
        logger.log(level: verified > 0 ? .info : .debug, "calendar re-verification",
                   metadata: ["day": "\(today)", "merchants_due": "\(verified)", "findings_changed": "\(tally.findingsChanged)"])
        return tally.findingsChanged
    }

    /// Every number and list of the policy in a fixed order (a dictionary's own order changes
    /// from one process to the next): any change to them changes findings, due or not.
    static func reverificationBasis(_ policy: VerificationPolicy) -> String {
        let required = policy.licenceRequired.map { "\($0.key.rawValue)=\($0.value.map(\.rawValue).joined(separator: "|"))" }.sorted()
        return "date rules \(dateRulesVersion); months \(policy.reverificationMonths); small scale \(policy.smallScaleTurnoverLimitFen); "
            + "grace \(policy.registryChangeGraceDays); expiring \(policy.licenceExpiringWithinDays); "
            + "annual report \(policy.annualReportDeadlineMonth)-\(policy.annualReportDeadlineDay); "
            + "licences " + required.joined(separator: ",")
    }
}
