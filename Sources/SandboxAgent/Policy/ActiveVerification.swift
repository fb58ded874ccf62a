import SandboxCore
import Synchronization

/// The verification numbers the active rule pack sets (`[verification]`, docs/policy.md §2): the
/// re-verification interval, the small-scale ceiling, the grace days, the licences each category
/// needs. The pipeline's policy runner sets them whenever it loads a pack; the pipeline's
/// verification (ingest, the daily re-verification) and the regulator link's (registry changes)
/// read them, so a regulator who changes a number changes what every agent verifies. Without a
/// pack, the standard numbers (DOMAIN.md §2–§3).
///
/// A `Mutex`: the link reads it on its own thread.
public final class ActiveVerification: Sendable {
    private let policy = Mutex(VerificationPolicy.standard)

    public init() {}

    public var current: VerificationPolicy { policy.withLock { $0 } }

    func set(_ new: VerificationPolicy) { policy.withLock { $0 = new } }
}
