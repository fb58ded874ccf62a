import Foundation
import ServiceLifecycle

/// systemd's side of the group: the last service in the group's list, so the first to hear of a
/// graceful shutdown (the group stops services in reverse order) — it says `STOPPING=1` (or, for a
/// reload, what `stopNotice` says) before any other part starts finishing its work.
///
/// With a `probe` and a watchdog (`WatchdogSec=`), it sends `WATCHDOG=1` at half the interval for
/// as long as the probe answers true: the regulator's probe is a query on its store, so a store
/// that no longer answers stops the keep-alives and systemd restarts the server. The agent's
/// keep-alives come from its pipeline loop instead (the part whose liveness matters), so it passes
/// no probe.
public struct SystemdService: Service, CustomStringConvertible {
    let notifier: SystemdNotifier
    let stopNotice: @Sendable () -> Void
    let probe: (@Sendable () async -> Bool)?

    public init(notifier: SystemdNotifier, probe: (@Sendable () async -> Bool)? = nil,
                stopNotice: (@Sendable () -> Void)? = nil) {
        self.notifier = notifier
        self.probe = probe
        self.stopNotice = stopNotice ?? { notifier.stopping() }
    }

    public var description: String { "systemd" }

    public func run() async {
        if let probe, let interval = notifier.watchdogIntervalMs {
            let notifier = notifier
            try? await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    if await probe() {
                        notifier.keepAlive(nowMs: Int64(Date().timeIntervalSince1970 * 1000))
                    }
                    try await Task.sleep(for: .milliseconds(max(20, interval / 2)))
                }
            }
        } else {
            try? await gracefulShutdown()
        }
        stopNotice()
    }
}
