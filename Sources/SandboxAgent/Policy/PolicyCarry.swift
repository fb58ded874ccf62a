import SandboxCore
import SandboxPolicy

/// What a running agent keeps for its next pass (`PolicyRunner.Cache`), folded part by part from
/// the outcome the engine hands over: the columns with the states after the pass, the case
/// index with its cases (closed ones leave it), the prompt ledger, the instructions awaiting a
/// receipt, the event cases' keys. A test checks that passes on what is kept decide exactly what
/// passes that read everything decide.
struct PolicyCarry {
    private var loaded: PolicyLoader.Loaded
    private var cases: CaseIndex
    private var ledger: PromptLedger
    private var awaited: [AwaitedInstruction]
    private var eventCaseKeys: Set<String>
    private let calendar: PolicyCalendar
    private let today: Int
    private let packSerial: Int
    private let version: Int64

    init(loaded: PolicyLoader.Loaded, caseIndex: CaseIndex, ledger: PromptLedger,
         awaited: [AwaitedInstruction], eventCaseKeys: Set<String>, pack: RulePack, version: Int64, now: Int64) {
        self.loaded = loaded
        cases = caseIndex
        self.ledger = ledger; self.awaited = awaited; self.eventCaseKeys = eventCaseKeys
        calendar = PolicyCalendar(nonWorkingDays: pack.nonWorkingDays)
        today = PolicyCalendar.day(of: now)
        packSerial = pack.header.serial
        self.version = version
    }

    /// The pass's states are not folded here: the pass returns them all (`statesAfter`).
    mutating func fold(_ part: PolicyOutcome) {
        for c in [part.changedCases, part.openedCases].joined() {
            cases.set(c.id, c.isWatched ? CaseSummary(c, calendar: calendar) : nil)
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
        return PolicyRunner.Cache(version: version, packSerial: packSerial, loaded: l, caseIndex: cases.list,
                                  ledger: ledger, awaited: awaited, eventCaseKeys: eventCaseKeys)
    }
}
