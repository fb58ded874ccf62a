/// The regulator's time. Its text both ways (RFC 3339, the form every answer uses) is the core's
/// `UTCTime`, which the agent writes its stamps with.
enum Timestamp {
    /// The regulator's now (RegulatorClock: the wall clock unless a clock file simulates it).
    static func now() -> Int64 { RegulatorClock.now() }
}
