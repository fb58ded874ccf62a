import SandboxCore

/// A merchant verified against the stored state: its findings today, and the first day after
/// today on which they could change with the calendar alone (`reverify_on`, schema v14). The
/// pipeline's look-ahead (on its read connection) and the writer's own verification (on the
/// writer's) both verify this way.
struct MerchantVerification {
    let findings: [Finding]
    let reverifyOn: CivilDate

    init(_ m: MerchantRecord, verifier: QualificationVerifier, state: AgentState, today: CivilDate) throws {
        try self.init(m, verifier: verifier, state: state, today: today,
                      licences: try state.licences(merchantID: m.platformMerchantID),
                      registry: try m.uscc.flatMap { try state.registry(merchantUSCC: $0) })
    }

    /// `licences` and `registry`: the merchant's, looked up by the caller (`LicenceRows`, `RegistryRows`).
    init(_ m: MerchantRecord, verifier: QualificationVerifier, state: AgentState, today: CivilDate,
         licences: [LicenceRecord], registry: RegistryRecord?) throws {
        findings = verifier.verify(merchant: m, licences: licences, registry: registry, today: today,
                                   summedTurnover: try state.summedTurnover(of: m))
        reverifyOn = verifier.nextDateChange(merchant: m, licences: licences, registry: registry, today: today)
            ?? AgentState.neverReverified
    }
}
