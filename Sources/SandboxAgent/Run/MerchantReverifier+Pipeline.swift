import Logging
import SandboxCore

extension MerchantReverifier {
    /// The pipeline's verification (`ExportProcessor`, with the active rule pack's numbers) on the
    /// link's own state connection: the same findings, report lines and audit as an export's.
    public static func pipeline(config: AgentConfig, clock: AgentClock, logger: Logger,
                                verification: ActiveVerification) -> MerchantReverifier {
        MerchantReverifier { state in
            let processor = ExportProcessor(config: config, state: state, verifier: QualificationVerifier(policy: verification.current),
                                            logger: logger)
            return { body in
                processor.follow(verification)
                return try processor.reverifying(clock: clock, body)
            }
        }
    }
}
