import Synchronization

/// Raised when the directives thread stores a new active rule pack; the pipeline's policy runner
/// takes it before its next pass and reloads the pack. One per running agent, made where the
/// service is assembled and handed to both sides: the poller raises, the runner takes.
///
/// A `Mutex` rather than a static flag: the two sides run on different threads, and the compiler
/// checks that nothing reaches the flag except through the lock.
public final class PackChangeSignal: Sendable {
    private let raised = Mutex(false)

    public init() {}

    /// The directives thread: a new pack is active in the state.
    func raise() { raised.withLock { $0 = true } }

    /// Whether a change waits, without taking it (the pipeline's "is a pass due?").
    var isRaised: Bool { raised.withLock { $0 } }

    /// True once per change: reading clears it, so a change is acted on exactly once however
    /// often the runner asks.
    func take() -> Bool {
        raised.withLock { value in
            defer { value = false }
            return value
        }
    }
}
