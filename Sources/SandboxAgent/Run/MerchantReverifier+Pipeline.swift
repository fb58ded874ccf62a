import Logging
import SandboxCore

extension MerchantReverifier {
    /// The pipeline's verification (`ExportProcessor`, the standard verification policy) on the
    /// link's own state connection: the same findings, report lines and audit as an export's.
    public static func pipeline(config: AgentConfig, clock: AgentClock, logger: Logger) -> MerchantReverifier {
        MerchantReverifier { state in
            let processor = ExportProcessor(config: config, state: state, verifier: QualificationVerifier(policy: .standard),
                                            logger: logger)
            return { body in try processor.reverifying(clock: clock, body) }
        }
    }
}
