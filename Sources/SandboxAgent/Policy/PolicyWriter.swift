import SandboxCore
import SandboxPolicy

/// Writes a pass's outcome, part by part as `PolicyRenderer` rendered it, in one transaction
/// (docs/policy.md §1): state rows and histories, instruction files in the outbox (one file per
/// kind; prompts split by size), policy feed items for the regulator, and the audit trail. An
/// instruction file exists exactly when its decision committed: files are renamed into place
/// inside the transaction (`finish`), named by a sequence taken in it (a retried pass gets the
/// same names). It runs on the thread that owns the state, and applies each part's writes in
/// their order.
final class PolicyWriter {
    let state: AgentState
    let pack: RulePack
    let now: Int64
    private let today: Int
    private let files: PolicyFiles
    private var written = Written()
    /// Seconds per part of the write, summed over the parts.
    private var seconds: [String: Double] = [:]
    static let parts = ["states", "class", "cases", "instructions", "roster", "prompts", "files"]
    /// The rule snapshots of the pass's cases as stored (a first pass opens 81,685 cases of a few
    /// dozen rules): encoded and looked up once each. Ids of this transaction: the writer is
    /// made for one pass and dropped with it. Found by rule and pack, then compared: hashing a
    /// whole snapshot (its texts and ladder) for every case was 3 % of a first pass's CPU, and the
    /// comparison of a pass's own snapshots is quick (their texts share storage).
    private var caseRules: [String: [(rule: CaseRuleSnapshot, id: Int64)]] = [:]

    struct Written {
        var files: [String] = []; var instructions = 0; var prompts = 0
        /// Seconds per part of the write, for the pass's log line (`w_class`, `w_cases`, …).
        var timings: [(String, Double)] = []
    }

    /// Call inside the pass's transaction.
    init(state: AgentState, config: AgentConfig, pack: RulePack, now: Int64) {
        self.state = state; self.pack = pack; self.now = now
        today = PolicyCalendar.day(of: now)
        files = PolicyFiles(state: state, config: config, now: now)
    }

    /// The state's next sandbox notice number, for the renderer.
    static func sandboxNumber(_ state: AgentState) throws -> Int {
        Int(try state.meta("policy.sandbox_next") ?? "1") ?? 1
    }

    /// Writes one rendered part of the pass's outcome.
    func write(_ rendered: RenderedPart) throws {
        for (name, writes) in rendered.sections {
            let start = ContinuousClock.now
            // Each write borrowed where it lies: bound by `for w in writes`, every write was
            // copied out of its chunk, its strings and records retained and released again on
            // this thread, the pass's longest but one (7 % of its instructions in a first pass,
            // issue 16, session 47).
            try writes.withUnsafeBufferPointer { writes in
                for i in writes.indices { try apply(writes[i], audit: rendered.audit) }
            }
            seconds[name, default: 0] += (ContinuousClock.now - start).inSeconds
        }
    }

    /// `audit`: the chunk's audit events (`RenderedPart.audit`).
    private func apply(_ w: borrowing PolicyWrite, audit: [UInt8]) throws {
        let serial = pack.header.serial
        switch w {
        case .merchantState(let id, let st):
            try state.storeMerchantPolicy(id, st, packSerial: serial, now: now)
        case .item(let type, let key, let uscc, let payload, let packVersion, let packSerial):
            try state.storePolicyItem(type: type, key: key, uscc: uscc, stored: payload.stored(by: state.itemCodec),
                                      packVersion: packVersion, packSerial: packSerial, now: now)
        case .policyCase(let c, let nextDue, let record):
            try state.storeCase(c, nextDue: nextDue, record: record.stored(by: state.itemCodec), ruleID: ruleID(c))
        case .instruction(let i):
            try state.storeInstruction(i)
            written.instructions += 1
        case .receiptChange(let change, let uscc, let merchantID, let merchantUSCC):
            try applyReceipt(change, uscc: uscc, merchantID: merchantID, merchantUSCC: merchantUSCC)
        case .prompt(let p):
            try state.recordPrompt(p, at: now, day: today)
            written.prompts += 1
        case .episodeEnded(let merchantID, let promptID):
            try state.endEpisode(merchantID: merchantID, promptID: promptID)
        case .directiveApplied(let id):
            try state.markDirectiveApplied(id)
        case .line(let kind, let line):
            try files.emit(kind, line)
        case .audit(let range):
            try audit.withUnsafeBufferPointer { try state.audit(line: UnsafeBufferPointer(rebasing: $0[range]), at: now) }
        }
    }

    /// The `case_rules` id of the case's rule snapshot, stored the first time the pass meets it.
    private func ruleID(_ c: PolicyCase) throws -> Int64 {
        let key = c.ruleID + "\u{1F}" + c.rule.packVersion
        if let known = caseRules[key]?.first(where: { $0.rule == c.rule }) { return known.id }
        let id = try state.caseRule(c.rule).id
        caseRules[key, default: []].append((c.rule, id))
        return id
    }

    /// A receipt matched, or overdue: the instruction's row and item get its state, and the audit its event.
    private func applyReceipt(_ change: ReceiptStateChange, uscc: String?, merchantID: String, merchantUSCC: String?) throws {
        guard let line = try state.setReceiptState(change) else { return }
        try state.storePolicyItem(type: .instruction, key: change.instructionID, uscc: uscc,
                                  data: InstructionItem.withReceiptState(line, change.state.rawValue),
                                  packVersion: pack.packVersion, packSerial: pack.header.serial, now: now)
        try state.audit(AuditEvent(
            at: now, actor: change.state == .overdue ? .agent : .platform,
            kind: change.state == .overdue ? "receipt_overdue" : "receipt_matched", merchantID: merchantID, uscc: merchantUSCC,
            subject: nil, detail: "\(change.instructionID): \(change.state.rawValue)" + (change.receiptID.map { " (receipt \($0))" } ?? ""),
            record: [], rulePack: pack.packVersion))
    }

    /// After the last part (`o`, which ends the pass): the counters, and the files renamed into
    /// place. `sandboxNumber`: the next sandbox notice's number after the pass (the renderer's).
    func finish(_ o: PolicyOutcome, sandboxNumber: Int) throws -> Written {
        let start = ContinuousClock.now
        try state.setMeta("policy.sandbox_next", String(sandboxNumber))
        try state.setMeta("policy.next_case", String(o.nextCaseNumber))
        try state.setMeta("policy.next_instruction", String(o.nextInstructionNumber))
        try state.setMeta("policy.last_pass_at", String(now))
        // Files, one per kind (prompts split by size), renamed into place in this transaction.
        written.files = try files.commit()
        seconds["files", default: 0] += (ContinuousClock.now - start).inSeconds
        written.timings = Self.parts.map { ("w_" + $0, seconds[$0] ?? 0) }
        return written
    }
}
