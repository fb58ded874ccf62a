import SandboxCore
import SandboxPolicy

/// What a running agent keeps for its next pass (`PolicyRunner.Cache`), folded part by part from
/// the outcome the engine hands over: the columns with the states after the pass, the case
/// index with its cases (closed ones leave it), the prompt ledger, the instructions awaiting a
/// receipt, the event cases' keys. A test checks that passes on what is kept decide exactly what
/// passes that read everything decide.
struct PolicyCarry {
    private var loaded: PolicyLoader.Loaded
    /// The case index in the order given (the state's, by case number), a closed case as nil:
    /// the pass walks the cases by id, and a sort of 80,000 summaries in a dictionary's order
    /// was a twentieth of a quiet day's pass. New cases come with higher numbers, after the rest.
    private var cases: [CaseSummary?]
    private var position: [String: Int] = [:]
    private var inOrder = true
    private var lastID: String?
    private var ledger: PromptLedger
    private var awaited: [AwaitedInstruction]
    private var eventCaseKeys: Set<String>
    private let calendar: PolicyCalendar
    private let today: Int
    private let packSerial: Int
    private let version: Int64

    init(loaded: PolicyLoader.Loaded, caseIndex: [CaseSummary], ledger: PromptLedger,
         awaited: [AwaitedInstruction], eventCaseKeys: Set<String>, pack: RulePack, version: Int64, now: Int64) {
        self.loaded = loaded
        cases = caseIndex
        lastID = caseIndex.last?.id
        for (i, s) in caseIndex.enumerated() { position[s.id] = i }
        self.ledger = ledger; self.awaited = awaited; self.eventCaseKeys = eventCaseKeys
        calendar = PolicyCalendar(nonWorkingDays: pack.nonWorkingDays)
        today = PolicyCalendar.day(of: now)
        packSerial = pack.header.serial
        self.version = version
    }

    /// The pass's states are not folded here: the pass returns them all (`statesAfter`).
    mutating func fold(_ part: PolicyOutcome) {
        for c in [part.changedCases, part.openedCases].joined() {
            let summary = c.isWatched ? CaseSummary(c, calendar: calendar) : nil
            if let p = position[c.id] {
                cases[p] = summary
            } else if let summary {
                if let lastID, lastID > summary.id { inOrder = false }
                lastID = summary.id
                position[c.id] = cases.count
                cases.append(summary)
            }
        }
        for p in part.prompts { ledger.record(p, day: today) }
        for ended in part.episodesEnded { ledger.endEpisode(merchantID: ended.merchantID, promptID: ended.promptID) }
        if !part.receiptChanges.isEmpty {
            let answered = Set(part.receiptChanges.map(\.instructionID))
            awaited.removeAll { answered.contains($0.id) }
        }
        for i in part.instructions where i.kind.expectsReceipt {
            awaited.append(AwaitedInstruction(id: i.id, caseID: i.caseID, kind: i.kind, receiptDueDay: i.receiptDueDay))
        }
        for c in part.openedCases where !c.caseKey.isEmpty {
            eventCaseKeys.insert(PolicyPassInput.eventCaseKey(c.merchantID, c.ruleID, c.caseKey))
        }
    }

    func cache(statesAfter: [MerchantPolicyState]) -> PolicyRunner.Cache {
        var l = loaded
        l.states = statesAfter
        var index = cases.compactMap { $0 }
        if !inOrder { index.sort { $0.id < $1.id } }
        return PolicyRunner.Cache(version: version, packSerial: packSerial, loaded: l, caseIndex: index,
                                  ledger: ledger, awaited: awaited, eventCaseKeys: eventCaseKeys)
    }
}
