import Glibc
import Logging

/// A reload's last step: this process replaced by a fresh run of the same command line (same
/// PID), so one path turns a config into a running agent. SQLite and inotify descriptors are
/// close-on-exec, so the new run opens everything anew; the blocked signal mask survives, so a
/// SIGTERM that arrives meanwhile is handled by the new run.
enum Reexecution {
    struct Failure: Error, CustomStringConvertible {
        let reason: String
        var description: String { "re-executing the agent failed: \(reason)" }
    }

    /// Returns only when `execv` failed (logged; the agent then exits for systemd to restart it).
    static func replaceProcess(logger: Logger) throws {
        let arguments = CommandLine.arguments
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        execv("/proc/self/exe", &argv)
        let reason = String(cString: strerror(errno))
        for p in argv { free(p) }
        logger.critical("cannot re-execute to apply agent.conf; exiting so systemd restarts the agent", metadata: ["error": "\(reason)"])
        throw Failure(reason: reason)
    }
}
