/// What one pass over the inbox did (`InboxPass`): the files and rows, the daily jobs, the policy.
public struct PassSummary: Sendable {
    public var applied = 0, duplicates = 0, failed = 0, retryLater = 0
    public var rowsAccepted = 0, rowsRejected = 0, rowsUnchanged = 0
    /// Merchants whose findings the daily calendar re-verification changed (nil: not run).
    public var calendarFindingsChanged: Int?
    /// Inbox entries newly reported as not files (folders, pipes, unusable names).
    public var oddities = 0
    /// What the daily retention pass removed (nil: not run in this pass).
    var pruned: Retention.Pruned?
    /// What the policy pass decided (nil: no pass ran).
    public var policy: PolicyRunner.Report?
    public var outcomes: [(file: String, outcome: FileOutcome)] = []
}
