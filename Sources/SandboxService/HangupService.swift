import ServiceLifecycle
import UnixSignals

/// SIGHUP as a service of the group: `onHangup` runs for each one, on the pool (it should only
/// read a few small files); it returns true to keep listening, false to end the service — which,
/// configured with `.gracefullyShutdownGroup`, stops the group (the agent's reload does that to
/// re-execute). A graceful shutdown ends the wait.
public struct HangupService: Service, CustomStringConvertible {
    public let description: String
    private let onHangup: @Sendable () -> Bool

    public init(name: String, onHangup: @escaping @Sendable () -> Bool) {
        description = name
        self.onHangup = onHangup
    }

    public func run() async {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        for await _ in hangups.cancelOnGracefulShutdown() where !onHangup() {
            return
        }
    }
}
