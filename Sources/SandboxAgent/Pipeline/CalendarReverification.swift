import SandboxCore

extension ExportProcessor {
    static let lastReverificationKey = "last_calendar_reverification"

    /// Re-verifies every stored merchant once per day (Asia/Shanghai).
    ///
    /// Some findings change with the calendar, not with an export: a licence expires, the
    /// platform's verification passes six months, the annual-report deadline passes. An unchanged
    /// merchant is never re-verified on ingest (that is what keeps a re-export cheap), so this
    /// daily pass catches them. Only changed findings are written and reported (`trigger:
    /// calendar`). Returns the number of merchants whose findings changed, nil when today was
    /// already done.
    func reverifyIfNewDay(clock: AgentClock) throws -> Int? {
        let today = clock.today
        if let last = try state.meta(Self.lastReverificationKey), last >= today.description { return nil }
        let reports = ReportSet(folder: config.outbox, claimedAt: clock.unixNanoseconds)
        var tally = Tally()
        do {
            try state.transaction {
                try state.forEachMerchant { m in
                    try verify(m, file: nil, reports: reports, tally: &tally, clock: clock)
                }
                try state.setMeta(Self.lastReverificationKey, today.description)
                try reports.commit(state: state, unixTime: clock.unixTime)
            }
        } catch {
            reports.discard()
            throw error
        }
        if tally.findingsChanged > 0 {
            logger.info("calendar re-verification", metadata: ["day": "\(today)", "findings_changed": "\(tally.findingsChanged)"])
        }
        return tally.findingsChanged
    }
}
