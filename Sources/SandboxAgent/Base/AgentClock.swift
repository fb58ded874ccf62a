import Glibc
import SandboxCore

/// "Now" for the agent: the real clock, or a fixed or offset one for drills and tests
/// (`--now 2026-07-01` or SANDBOX_AGENT_NOW), so a compliance team can rehearse dates.
public struct AgentClock: Sendable {
    /// Seconds added to the real clock.
    public var offset: Int64

    public init(offset: Int64 = 0) { self.offset = offset }

    /// A clock that reads `date` (Asia/Shanghai midnight) at the moment of creation and runs on.
    public init(startingAt date: CivilDate) {
        offset = date.shanghaiMidnight - AgentClock.realUnixTime()
    }

    public var unixTime: Int64 { AgentClock.realUnixTime() + offset }
    public var unixNanoseconds: Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return (Int64(ts.tv_sec) + offset) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
    /// Today in Asia/Shanghai: the day deadlines and validity are judged by.
    public var today: CivilDate { CivilDate(unixTime: unixTime) }

    public static func realUnixTime() -> Int64 { Int64(time(nil)) }

    /// Real time in milliseconds: retry schedules and batch ages, which drills do not move.
    public static func realUnixMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
