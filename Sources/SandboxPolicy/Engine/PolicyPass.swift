import SandboxCore

/// One policy pass (docs/policy.md §1): indicators → classes, receipts, triggers → cases and the
/// ladder, roster, prompts — in this order, each stage seeing only what the earlier ones decided.
/// Pure: the same input gives the same outcome; the agent writes the outcome.
///
/// The outcome is handed over in parts as the stages decide it (`run(_:blockRows:deliver:)`):
/// the class decisions of each block of merchants, the cases that existed and changed in blocks
/// with their determinations, instructions and receipt changes, the new cases in blocks with their
/// instructions, the roster decisions of each block
/// with the block's final states, the prompts in blocks, then the rest. A first pass decides for
/// every merchant; held whole, its decisions were most of the agent's memory (issue 16).
public struct PolicyPass {
    let input: PolicyPassInput
    var pack: RulePack { input.pack }
    var facts: PolicyFacts
    let calendar: PolicyCalendar
    let today: Int
    /// What was decided since the last part was handed over.
    var outcome = PolicyOutcome()
    var states: [MerchantPolicyState]
    /// Rows whose state this pass changed; each is handed over with its roster block, where the
    /// state is final (later stages do not change states).
    var changedRows: Bits
    let blockRows: Int
    let deliver: (PolicyOutcome) -> Void
    let merchantIDs: TextColumn
    let usccs: TextColumn
    var rowOf: ByteKeyTable
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
    /// Cases that existed and changed, per part: a fixed number, not `blockRows`, so that a pass
    /// decides the same whatever `policy.pass_block_merchants` (the art. 33 determinations are
    /// made, and their instructions numbered, a block at a time).
    let changedCaseBlock: Int
    /// Receipt changes decided before the cases were taken, each waiting for its case's block
    /// (`receiptChanged`): in order, and their indexes by case id.
    var receiptChangesWaiting: [ReceiptStateChange] = []
    var receiptChangesOfCase: [String: [Int]] = [:]

    /// The whole outcome at once (tests, `policy explain`): every part, joined in order.
    public static func run(_ input: PolicyPassInput) -> PolicyOutcome {
        var whole = PolicyOutcome()
        let last = run(input, blockRows: Int.max) { whole.append($0) }
        whole.append(last)
        return whole
    }

    /// Hands `deliver` the outcome in parts, each at most `blockRows` merchants' class, roster or
    /// prompt decisions, in the order a whole outcome lists them; returns the last part (what
    /// ends the pass: episodes ended, the next numbers, the next due time, the timings).
    ///
    /// The pass takes the input's states and returns them changed in `statesAfter` of the last
    /// part: given the input's only reference (`consume`), it changes them in place rather than in
    /// a copy (60 MB at 469,000 merchants).
    public static func run(_ input: consuming PolicyPassInput, blockRows: Int,
                           deliver: @escaping (PolicyOutcome) -> Void) -> PolicyOutcome {
        run(consume input, blockRows: blockRows, changedCaseBlock: caseBlock, deliver: deliver)
    }

    /// Cases per part, new or changed: a case is a few hundred bytes with its evidence and rule where
    /// a merchant's class decision is a few dozen.
    static let caseBlock = 4_096

    /// `changedCaseBlock`: the cases that existed and changed, per part (tests use a few).
    static func run(_ input: consuming PolicyPassInput, blockRows: Int, changedCaseBlock: Int,
                    deliver: @escaping (PolicyOutcome) -> Void) -> PolicyOutcome {
        var pass = PolicyPass(input: consume input, blockRows: blockRows, changedCaseBlock: changedCaseBlock,
                              deliver: deliver)
        pass.execute()
        pass.outcome.statesAfter = pass.states
        pass.states = []
        return pass.outcome
    }

    init(input: consuming PolicyPassInput, blockRows: Int, changedCaseBlock: Int,
         deliver: @escaping (PolicyOutcome) -> Void) {
        states = input.states
        input.states = []
        self.blockRows = max(1, blockRows)
        self.changedCaseBlock = max(1, changedCaseBlock)
        self.deliver = deliver
        changedRows = Bits(count: input.facts.rows)
        facts = input.facts
        calendar = PolicyCalendar(nonWorkingDays: input.pack.nonWorkingDays)
        today = CivilDate(unixTime: input.now).dayNumber
        facts.today = CivilDate(dayNumber: today)
        if case .text(let ids)? = input.facts.columns[.merchantID] { merchantIDs = ids } else {
            merchantIDs = TextColumn(repeating: nil, count: input.facts.rows)
        }
        if case .text(let u)? = input.facts.columns[.uscc] { usccs = u } else {
            usccs = TextColumn(repeating: nil, count: input.facts.rows)
        }
        facts.columns[.registeredLocally] = Self.registeredLocally(usccs, LocalRegistration(divisions: input.pack.roster.localDivisions))
        rowOf = input.rowOf ?? ByteKeyTable(keys: merchantIDs)
        applies = (Bits(count: input.facts.rows), Bits(count: input.facts.rows))
        caseNumber = input.nextCaseNumber
        instructionNumber = input.nextInstructionNumber
        self.input = input
    }

    /// `merchant.registered_locally`: known where the storefront has a USCC (a natural person has
    /// none and is never admitted, as at the regulator), true when LocalRegistration says so.
    static func registeredLocally(_ usccs: TextColumn, _ rule: LocalRegistration) -> FactColumn {
        var known = Bits(count: usccs.count), value = Bits(count: usccs.count)
        for i in usccs.indices {
            usccs.withBytes(i) { u in
                guard let u else { return }
                known[i] = true
                value[i] = rule.holds(utf8: u)
            }
        }
        return .bool(known: known, value: value)
    }

    /// Seconds spent in `deliver` so far: the receiver's time is not the stage's.
    var deliverSeconds = 0.0

    mutating func timed(_ name: String, _ body: (inout PolicyPass) -> Void) {
        let handedBefore = deliverSeconds
        let start = ContinuousClock.now
        body(&self)
        let seconds = (ContinuousClock.now - start).inSeconds - (deliverSeconds - handedBefore)
        outcome.timings.append((name, seconds))
    }

    mutating func execute() {
        timed("applies") { p in p.applies = ConditionEvaluator(facts: p.facts).truth(p.pack.appliesTo) }
        timed("classes") { p in p.classify() }
        timed("cases") { p in
            p.runCases()
            // A set of the opened ids, not a search of them per changed case (quadratic when a pass
            // both opens and changes tens of thousands).
            let opened = Set(p.outcome.openedCases.map(\.id))
            p.outcome.changedCases = p.outcome.changedCases.filter { !opened.contains($0.id) }
            p.handOver()
        }
        timed("roster") { p in p.runRoster() }
        timed("prompts") { p in p.runPrompts() }
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
        changedRows[row] = true
    }

    /// Hands over what was decided since the last part (keeping the timings for the last), with
    /// the final states of `rows` that changed.
    mutating func handOver(states rows: Range<Int>? = nil) {
        var part = outcome
        part.timings = []
        outcome = PolicyOutcome(timings: outcome.timings)
        if let rows {
            for r in rows where changedRows[r] { part.states[r] = states[r] }
        }
        hand(part)
    }

    mutating func hand(_ part: PolicyOutcome) {
        guard !part.isEmpty else { return }
        let start = ContinuousClock.now
        deliver(part)
        deliverSeconds += (ContinuousClock.now - start).inSeconds
    }

    /// After row `r` of a per-row stage: the end of a block (or of the rows) hands the block over.
    mutating func endOfRow(_ r: Int, states: Bool = false) {
        let next = r + 1
        guard next % blockRows == 0 || next == facts.rows else { return }
        handOver(states: states ? (next - 1) / blockRows * blockRows ..< next : nil)
    }

    mutating func nextInstructionID(_ kind: PolicyInstruction.Kind) -> String {
        defer { instructionNumber += 1 }
        return Self.identifier(input.platformID, kind.fileKind, instructionNumber)
    }

    mutating func nextCaseID() -> String {
        defer { caseNumber += 1 }
        return Self.identifier(input.platformID, "case", caseNumber)
    }

    /// `platform-kind-00000042`, the number padded to eight digits so that instruction and case
    /// ids sort as text, made from its bytes in one string. Interpolated and padded it took about
    /// 3,000 instructions — a first pass names 463,000 instructions and 81,685 cases (issue 16,
    /// session 41).
    public static func identifier(_ platformID: String, _ kind: String, _ number: Int) -> String {
        precondition(number >= 0, "instruction and case numbers count from 1")
        var digits = 8
        var rest = number / 100_000_000
        while rest > 0 { digits += 1; rest /= 10 }
        return platformID.withUTF8Bytes { platform in
            kind.withUTF8Bytes { kind in
                String(unsafeUninitializedCapacity: platform.count + kind.count + 2 + digits) { out in
                    var at = 0
                    for b in platform { out[at] = b; at += 1 }
                    out[at] = 0x2D; at += 1
                    for b in kind { out[at] = b; at += 1 }
                    out[at] = 0x2D; at += 1
                    var n = number
                    for i in stride(from: at + digits - 1, through: at, by: -1) { out[i] = 0x30 + UInt8(n % 10); n /= 10 }
                    return at + digits
                }
            }
        }
    }

    func nextDue() -> Int64 {
        var due = PolicyCalendar.startOf(day: today + 1)
        for cases in casesByRow.values {
            for c in cases { if let d = c.nextDueAt { due = min(due, max(d, input.now)) } }
        }
        return due
    }
}
