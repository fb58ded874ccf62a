import Logging
import SandboxService

/// SIGHUP (`systemctl reload sandbox-regulator`): re-read the platforms file. A file that does not
/// load is refused with a log line and a `STATUS=` line, and the platforms in force stay; a good
/// one replaces them for the next request — a rotated token or HMAC secret takes effect without a
/// restart and without dropping a connection or a long poll. No token or secret is logged.
struct PlatformsReload: Sendable {
    let path: String
    let platforms: PlatformDirectoryHolder
    let notifier: SystemdNotifier
    let logger: Logger

    /// The group's `platforms-reload` service: listens for as long as the server runs.
    var service: HangupService {
        HangupService(name: "platforms-reload") { [self] in
            reload()
            return true
        }
    }

    private func reload() {
        notifier.reloading(status: "re-reading \(path)")
        do {
            // A few small files; nothing here waits on the database or the network.
            let directory = try PlatformsFile.load(path: path)
            platforms.replace(directory)
            let ids = directory.platforms.map(\.id).joined(separator: ",")
            logger.notice("platforms file re-read; its tokens and secrets are in force from the next request",
                          metadata: ["platforms_file": "\(path)", "platforms": "\(ids)"])
            notifier.ready(status: "platforms file re-read: \(directory.platforms.count) platform(s)")
        } catch {
            logger.error("platforms file refused on reload; the platforms in force stay",
                         metadata: ["platforms_file": "\(path)", "error": "\(error)"])
            notifier.ready(status: "platforms file refused on reload (\(error)); running on the previous one")
        }
    }
}
