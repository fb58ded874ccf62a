import SandboxCore

/// A merchant verified against the stored state: its findings today, and the first day after
/// today on which they could change with the calendar alone (`reverify_on`, schema v14). The
/// pipeline's look-ahead (on its read connection) and the writer's own verification (on the
/// writer's) both verify this way.
struct MerchantVerification {
    let findings: [Finding]
    let reverifyOn: CivilDate

    /// `mayHoldLicences` false: the caller knows the merchant holds none (`LicenceHolders`).
    init(_ m: MerchantRecord, verifier: QualificationVerifier, state: AgentState, today: CivilDate,
         mayHoldLicences: Bool = true) throws {
        try self.init(m, verifier: verifier, state: state, today: today, mayHoldLicences: mayHoldLicences,
                      registry: try m.uscc.flatMap { try state.registry(merchantUSCC: $0) })
    }

    /// `registry`: the merchant's registry entry, looked up by the caller (`RegistryRows`).
    init(_ m: MerchantRecord, verifier: QualificationVerifier, state: AgentState, today: CivilDate,
         mayHoldLicences: Bool, registry: RegistryRecord?) throws {
        let licences = mayHoldLicences ? try state.licences(merchantID: m.platformMerchantID) : []
        findings = verifier.verify(merchant: m, licences: licences, registry: registry, today: today,
                                   summedTurnover: try state.summedTurnover(of: m))
        reverifyOn = verifier.nextDateChange(merchant: m, licences: licences, registry: registry, today: today)
            ?? AgentState.neverReverified
    }
}
