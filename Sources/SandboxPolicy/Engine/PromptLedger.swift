/// What was prompted so far (docs/policy.md §7, the agent's `prompt_ledger`), by prompt and then
/// by merchant. A pass takes one prompt at a time: it looks up the entries of that prompt's
/// candidates, and ends that prompt's open episodes. Keyed by `merchant ␟ prompt` as it was, each
/// lookup built and hashed a joined key, and every episode prompt walked the whole ledger for its
/// entries: a third of a quiet day's pass (issue 16).
public struct PromptLedger: Sendable, Equatable {
    private var byPrompt: [String: [String: PromptLedgerState]] = [:]

    public init() {}

    /// The entries of `promptID`, by merchant id.
    public func entries(promptID: String) -> [String: PromptLedgerState] { byPrompt[promptID] ?? [:] }

    /// One issued row of the ledger (a prompt issued in a window, on a day).
    public mutating func add(merchantID: String, promptID: String, windowKey: String, issuedDay: Int, episodeOpen: Bool) {
        var e = byPrompt[promptID, default: [:]][merchantID] ?? PromptLedgerState()
        e.windowKeys.insert(windowKey)
        if episodeOpen { e.episodeOpen = true }
        e.lastIssueDay = max(e.lastIssueDay ?? .min, issuedDay)
        byPrompt[promptID, default: [:]][merchantID] = e
    }

    /// A prompt a pass issued on `day`.
    public mutating func record(_ p: PromptIssue, day: Int) {
        add(merchantID: p.merchantID, promptID: p.promptID, windowKey: p.windowKey, issuedDay: day, episodeOpen: p.episode)
    }

    /// A pass found an episode's condition false.
    public mutating func endEpisode(merchantID: String, promptID: String) {
        byPrompt[promptID]?[merchantID]?.episodeOpen = false
    }
}
