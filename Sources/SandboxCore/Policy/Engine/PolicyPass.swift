/// One policy pass (docs/policy.md §1): indicators → classes, receipts, triggers → cases and the
/// ladder, roster, prompts — in this order, each stage seeing only what the earlier ones decided.
/// Pure: the same input gives the same outcome; the agent writes the outcome.
public struct PolicyPass {
    let input: PolicyPassInput
    var pack: RulePack { input.pack }
    var facts: PolicyFacts
    let calendar: PolicyCalendar
    let today: Int
    var outcome = PolicyOutcome()
    var states: [MerchantPolicyState]
    let merchantIDs: [String?]
    let usccs: [String?]
    var rowOf: [String: Int] = [:]
    var applies: (known: Bits, value: Bits)
    var caseNumber: Int
    var instructionNumber: Int
    /// Open cases after this pass's changes, by row.
    var casesByRow: [Int: [CaseSummary]] = [:]
    /// Merchant → ids of input cases with a suspension in force (for reinstatement).
    var suspendedCaseIDs: [String: [String]] = [:]
    var changedCaseIDs = Set<String>()
    /// Terminated cases whose condition still holds, by row (docs/policy.md §6.6): the roster
    /// counts them as open and overdue — the violation is unresolved.
    var terminatedUncleared: [Int: [CaseSummary]] = [:]
    /// Prompts asked for by `response = "prompt"` triggers: prompt id → (row → trigger id).
    var promptRequests: [String: [Int: String]] = [:]

    public static func run(_ input: PolicyPassInput) -> PolicyOutcome {
        var pass = PolicyPass(input: input)
        pass.execute()
        return pass.outcome
    }

    init(input: PolicyPassInput) {
        self.input = input
        facts = input.facts
        calendar = PolicyCalendar(nonWorkingDays: input.pack.nonWorkingDays)
        today = CivilDate(unixTime: input.now).dayNumber
        facts.today = CivilDate(dayNumber: today)
        states = input.states
        if case .text(let ids)? = input.facts.columns[.merchantID] { merchantIDs = ids } else {
            merchantIDs = [String?](repeating: nil, count: input.facts.rows)
        }
        if case .text(let u)? = input.facts.columns[.uscc] { usccs = u } else {
            usccs = [String?](repeating: nil, count: input.facts.rows)
        }
        if let given = input.rowOf { rowOf = given } else {
            for (i, id) in merchantIDs.enumerated() { if let id { rowOf[id] = i } }
        }
        applies = (Bits(count: input.facts.rows), Bits(count: input.facts.rows))
        caseNumber = input.nextCaseNumber
        instructionNumber = input.nextInstructionNumber
    }

    mutating func timed(_ name: String, _ body: (inout PolicyPass) -> Void) {
        let clock = ContinuousClock()
        let start = clock.now
        body(&self)
        let d = clock.now - start
        outcome.timings.append((name, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18))
    }

    mutating func execute() {
        timed("applies") { p in p.applies = ConditionEvaluator(facts: p.facts).truth(p.pack.appliesTo) }
        timed("classes") { p in p.classify() }
        timed("cases") { p in p.runCases() }
        timed("roster") { p in p.runRoster() }
        timed("prompts") { p in p.runPrompts() }
        outcome.changedCases = outcome.changedCases.filter { c in !outcome.openedCases.contains { $0.id == c.id } }
        outcome.nextCaseNumber = caseNumber
        outcome.nextInstructionNumber = instructionNumber
        outcome.nextDue = nextDue()
    }

    func merchantID(_ row: Int) -> String { merchantIDs[row] ?? "" }

    func appliesTo(_ row: Int) -> Bool {
        // Unknown counts as applying: only a storefront known to be out is spared.
        !applies.known[row] || applies.value[row]
    }

    mutating func setState(_ row: Int, _ s: MerchantPolicyState) {
        guard s != states[row] else { return }
        states[row] = s
        outcome.states[row] = s
    }

    mutating func nextInstructionID(_ kind: PolicyInstruction.Kind) -> String {
        defer { instructionNumber += 1 }
        return "\(input.platformID)-\(kind.fileKind)-" + Self.padded(instructionNumber)
    }

    mutating func nextCaseID() -> String {
        defer { caseNumber += 1 }
        return "\(input.platformID)-case-" + Self.padded(caseNumber)
    }

    /// `42` → `00000042`: instruction and case numbers sort as text.
    public static func padded(_ n: Int) -> String {
        let s = String(n)
        return s.count >= 8 ? s : String(repeating: "0", count: 8 - s.count) + s
    }

    func nextDue() -> Int64 {
        var due = PolicyCalendar.startOf(day: today + 1)
        for cases in casesByRow.values {
            for c in cases { if let d = c.nextDueAt { due = min(due, max(d, input.now)) } }
        }
        return due
    }
}
