import SandboxCore

extension ExportProcessor {
    /// Verifies stored merchants again outside any inbox file (the regulator's registry changes
    /// and turnover sums): `body` names each merchant as it applies the change, and the merchants'
    /// report lines are committed when it returns, inside the caller's open transaction (their
    /// sequence numbers with it, so a retry repeats the same names). Returns how many merchants'
    /// findings changed.
    func reverifying(clock: AgentClock, _ body: (_ verify: (String) throws -> Void) throws -> Void) throws -> Int {
        let reports = ReportSet(config: config, claimedAt: clock.unixNanoseconds)
        var tally = Tally()
        do {
            try body { id in
                if let m = try state.merchant(id: id) {
                    try verify(m, file: nil, reports: reports, tally: &tally, clock: clock)
                }
            }
            try reports.commit(state: state, unixTime: clock.unixTime)
        } catch {
            reports.discard()
            throw error
        }
        return tally.findingsChanged
    }
}
