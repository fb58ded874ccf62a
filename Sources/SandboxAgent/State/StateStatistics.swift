/// Counts over the agent's state, for the `status` command and the metrics file.
public struct StateStatistics: Equatable, Sendable {
    public var merchants = 0
    public var licences = 0
    public var events = 0
    public var receipts = 0
    public var registryEntries = 0
    public var merchantsWithFindings = 0
    public var findingsByCode: [String: Int] = [:]
    public var filesApplied = 0
    public var filesDuplicate = 0
    public var filesFailed = 0
    /// Rows over every applied file.
    public var rowsAccepted = 0
    public var rowsRejected = 0
    public var pendingOutboxFiles = 0
    public var lastJournalEntry: JournalEntry?

    public init() {}
}
