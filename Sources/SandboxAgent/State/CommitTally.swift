/// What the outermost commits of one `AgentState` did since the tally was last taken: how many
/// went through, and the last that failed for want of space. The pipeline takes it after every
/// pass, so a full disk shows in `status` while it lasts and clears with the first commit that
/// succeeds (`DiskFullAlarm`).
struct CommitTally {
    var succeeded = 0
    /// The error of the last commit that failed for want of space (`SpaceShortage.isShortage`).
    var spaceFailure: (any Error)?
}
