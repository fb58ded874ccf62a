import Glibc

/// `state/heartbeat`: its modification time says the service's loop is alive. The running agent
/// touches it every few seconds and removes it on a clean stop; `status` reads its age to tell a
/// running agent from a stopped or hung one without asking the service anything.
public enum Heartbeat {
    public static func path(_ config: AgentConfig) -> String { config.stateDir + "/heartbeat" }

    public static func touch(_ config: AgentConfig) {
        let fd = open(path(config), O_WRONLY | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { return }
        _ = futimens(fd, nil)
        close(fd)
    }

    public static func remove(_ config: AgentConfig) { unlink(path(config)) }

    /// Seconds since the last beat, nil when there is none.
    public static func age(_ config: AgentConfig, now: Int64) -> Int64? {
        var st = stat()
        guard stat(path(config), &st) == 0 else { return nil }
        return max(0, now - Int64(st.st_mtim.tv_sec))
    }

    /// A beat older than this means the service is down (or hung): three rescan intervals, at
    /// least a minute.
    public static func staleAfter(_ config: AgentConfig) -> Int64 { max(60, 3 * Int64(config.rescanIntervalSeconds)) }
}
