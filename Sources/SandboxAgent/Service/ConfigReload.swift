import Foundation
import Synchronization
import Logging
import SandboxService

/// SIGHUP: re-read agent.conf. A config that does not load is refused with a log line and a
/// `STATUS=` line, and the running one stays in force. A good one ends this service, which asks the
/// group for a graceful shutdown (the file and the batch in hand are finished); the agent then
/// re-executes itself in place — same PID, so systemd keeps following it — and the new run reads
/// the new config from scratch. Applying a config by re-execution rather than by patching live
/// objects means there is exactly one code path that turns a config into a running agent.
struct ConfigReload: Sendable {
    let configPath: String?
    let notifier: SystemdNotifier
    let logger: Logger
    let request: ReloadRequest

    /// The group's `config-reload` service: listens until a config is accepted.
    var service: HangupService {
        HangupService(name: "config-reload") { [self] in
            guard accept() else { return true }
            request.set()
            notifier.reloading(status: "reloading agent.conf: finishing the work in hand")
            return false
        }
    }

    /// True when the config at `configPath` loads (and so will be applied). Reading a few small
    /// files on the pool is fine; nothing here waits on the database or the network.
    private func accept() -> Bool {
        guard let path = configPath else {
            logger.warning("SIGHUP ignored: no config file to re-read")
            return false
        }
        do {
            _ = try ConfigLoader.load(path: path)
        } catch {
            logger.error("agent.conf refused on reload; the running configuration stays in force",
                         metadata: ["config": "\(path)", "error": "\(error)"])
            notifier.status("agent.conf refused on reload (\(error)); running on the previous configuration")
            return false
        }
        logger.notice("agent.conf re-read; restarting in place to apply it", metadata: ["config": "\(path)"])
        return true
    }
}

/// Set by `ConfigReload` when a good config waits: the group's stop then ends in re-execution.
final class ReloadRequest: Sendable {
    private let requested = Mutex(false)
    var isSet: Bool { requested.withLock { $0 } }
    func set() { requested.withLock { $0 = true } }
}
