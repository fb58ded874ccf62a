import SandboxCore
import SandboxPolicy

/// Writes a pass's outcome, part by part as the engine hands it over, in one transaction
/// (docs/policy.md §1): state rows and histories, instruction files in the outbox (one file per
/// kind; prompts split by size), policy feed items for the regulator, and the audit trail. An
/// instruction file exists exactly when its decision committed: files are renamed into place
/// inside the transaction (`finish`), named by a sequence taken in it (a retried pass gets the
/// same names). Parts come in the order a whole outcome lists its decisions, so the rows, items,
/// audit events and lines are written in the order the whole outcome wrote them.
final class PolicyWriter {
    let state: AgentState
    let config: AgentConfig
    let pack: RulePack
    let lines: PolicyLines
    let now: Int64
    let casesBefore: CaseIndex
    private let files: PolicyFiles
    private var written = Written()
    /// Seconds per part of the write, summed over the parts.
    private var seconds: [String: Double] = [:]
    private static let parts = ["states", "class", "cases", "instructions", "roster", "prompts", "files"]
    /// Sandbox notices are numbered here (the engine decides roster changes, not lines).
    private var sandboxNumber: Int?
    /// The rule snapshots of the pass's cases as stored (a first pass opens 81,685 cases of a few
    /// dozen rules): encoded and looked up once each. Ids of this transaction: the writer is
    /// made for one pass and dropped with it. Found by rule and pack, then compared: hashing a
    /// whole snapshot (its texts and ladder) for every case was 3 % of a first pass's CPU, and the
    /// comparison of a pass's own snapshots is quick (their texts share storage).
    private var caseRules: [String: [(rule: CaseRuleSnapshot, stored: (bytes: [UInt8], id: Int64))]] = [:]

    struct Written {
        var files: [String] = []; var instructions = 0; var prompts = 0
        /// Seconds per part of the write, for the pass's log line (`w_class`, `w_cases`, …).
        var timings: [(String, Double)] = []
    }

    /// Call inside the pass's transaction.
    init(state: AgentState, config: AgentConfig, pack: RulePack, lines: PolicyLines, now: Int64,
         casesBefore: CaseIndex) {
        self.state = state; self.config = config; self.pack = pack; self.lines = lines; self.now = now
        self.casesBefore = casesBefore
        files = PolicyFiles(state: state, outbox: config.outbox, now: now,
                            promptFileMaxLines: config.policy?.promptFileMaxLines ?? 50_000)
    }

    /// Writes one part of the pass's outcome.
    func write(_ o: PolicyOutcome) throws {
        let serial = pack.header.serial
        let version = pack.packVersion
        let today = PolicyCalendar.day(of: now)
        let now = now, lines = lines, state = state
        func emit(_ kind: String, _ line: [UInt8]) throws { try files.emit(kind, line) }
        var lap = ContinuousClock.now
        func timed(_ name: String) {
            let t = ContinuousClock.now
            seconds[name, default: 0] += (t - lap).inSeconds
            lap = t
        }
        func audit(_ kind: String, _ merchantID: String, _ detail: String, _ record: [UInt8], actor: AuditEvent.Actor = .agent) throws {
            try state.audit(AuditEvent(at: now, actor: actor, kind: kind, merchantID: merchantID, uscc: lines.uscc(merchantID),
                                       subject: nil, detail: detail, record: record, rulePack: version))
        }

        // Merchant state (class and roster standing): final in the part that carries it.
        var ids = TextColumn()
        if case .text(let t)? = lines.facts.columns[.merchantID] { ids = t }
        for (row, st) in o.states.sorted(by: { $0.key < $1.key }) {
            try state.storeMerchantPolicy(ids[row] ?? "", st, packSerial: serial, now: now)
        }
        timed("states")

        // Class decisions.
        for d in o.classDecisions {
            try state.storePolicyItem(type: .riskClass, key: d.merchantID, uscc: lines.uscc(d.merchantID),
                                      data: lines.classItem(d, since: d.classSince, now: now),
                                      packVersion: version, packSerial: serial, now: now)
            if d.previousClass != d.riskClass {
                // History and audit keep the decision's summary (class, points, contributing
                // indicators); the full explanation is the current item, sent to the regulator.
                // The history's copy is deflated against a dictionary of summaries (schema v12:
                // 71 bytes of JSON a decision, 469,000 of them in a first pass).
                let summary = PolicyLines.classSummary(d)
                try state.appendClassHistory(merchantID: d.merchantID, at: now, riskClass: d.riskClass.rawValue,
                                             previousClass: d.previousClass?.rawValue, points: d.points, summary: summary, packSerial: serial)
                try audit("class_changed", d.merchantID,
                          "class \(d.previousClass?.rawValue ?? "none") → \(d.riskClass.rawValue) (\(d.points) points)", summary)
            }
        }
        timed("class")

        // Cases and their instructions. The cases that existed come in one part, new cases in
        // blocks, each with its instructions; a block's cases are looked up by index, not copied
        // into a dictionary, nor the two lists joined (issue 16).
        var caseIndex: [String: Int] = [:]
        for (i, c) in o.openedCases.enumerated() { caseIndex[c.id] = i }
        for (i, c) in o.changedCases.enumerated() { caseIndex[c.id] = o.openedCases.count + i }
        func caseOf(_ id: String) -> PolicyCase? {
            caseIndex[id].map { $0 < o.openedCases.count ? o.openedCases[$0] : o.changedCases[$0 - o.openedCases.count] }
        }
        /// Stores the case and its item; returns the item, which its audit event carries too.
        func store(_ c: PolicyCase) throws -> [UInt8] {
            let key = c.ruleID + "\u{1F}" + c.rule.packVersion
            let rule: (bytes: [UInt8], id: Int64)
            if let known = caseRules[key]?.first(where: { $0.rule == c.rule }) {
                rule = known.stored
            } else {
                rule = try state.caseRule(c.rule)
                caseRules[key, default: []].append((c.rule, rule))
            }
            try state.storeCase(c, nextDue: c.nextDue(calendar: PolicyCalendar(nonWorkingDays: pack.nonWorkingDays)), rule: rule)
            let item = lines.caseItem(c)
            try state.storePolicyItem(type: .policyCase, key: c.id, uscc: c.uscc, data: item,
                                      packVersion: c.rule.packVersion, packSerial: c.packSerial, now: now)
            return item
        }
        func issue(_ i: PolicyInstruction) throws {
            guard let c = caseOf(i.caseID) else { return }
            let line = lines.instruction(i, case: c)
            try emit(i.kind.fileKind, line)
            try state.storeInstruction(i)
            try state.storePolicyItem(type: .instruction, key: i.id, uscc: c.uscc,
                                      data: InstructionItem.withReceiptState(line, i.kind.expectsReceipt ? "awaiting" : "none"),
                                      packVersion: version, packSerial: serial, now: now)
            try audit("instruction_issued", i.merchantID, "\(i.kind.rawValue) \(i.id) for \(c.id) (\(c.ruleID))", line)
            written.instructions += 1
        }
        // Changed first: a case closed in this pass frees its (merchant, rule) for a new one.
        let changedItems = try o.changedCases.map(store)
        for (c, item) in zip(o.changedCases, changedItems)
        where c.state == .terminated && c.rectifiedAt != nil && casesBefore[c.id]?.state == .terminated {
            try audit("cleared_after_termination", c.merchantID, "\(c.id) \(c.ruleID): condition cleared after service was stopped",
                      item)
        }
        for (c, item) in zip(o.changedCases, changedItems) where !c.state.isOpen && casesBefore[c.id]?.state.isOpen == true {
            try audit(c.state == .rectified || c.state == .rectifiedLate ? "case_rectified" : "case_closed", c.merchantID,
                      "\(c.id) \(c.ruleID): \(c.state.rawValue)" + (c.determination.map { "; determination \($0.result.rawValue)" } ?? ""),
                      item)
        }
        // The instructions of the cases that existed, in the engine's order; a new case's come with
        // it. New cases are written case by case (row, item, audit, then its instructions), so a
        // pass whose new cases come in blocks of any size writes the same rows, items, audit
        // events and lines in the same order.
        var ofOpened: [Int: [Int]] = [:]
        for (n, i) in o.instructions.enumerated() {
            if let k = caseIndex[i.caseID], k < o.openedCases.count { ofOpened[k, default: []].append(n) } else { try issue(i) }
        }
        for (k, c) in o.openedCases.enumerated() {
            let item = try store(c)
            try audit("case_opened", c.merchantID, "\(c.ruleID) \(c.rule.title); deadline \(PolicyLines.day(c.deadlineDay) ?? "none")",
                      item)
            for n in ofOpened[k] ?? [] { try issue(o.instructions[n]) }
        }
        timed("cases")
        for change in o.receiptChanges {
            guard let line = try state.setReceiptState(change) else { continue }
            let c = caseOf(change.caseID)
            try state.storePolicyItem(type: .instruction, key: change.instructionID, uscc: c?.uscc,
                                      data: InstructionItem.withReceiptState(line, change.state.rawValue),
                                      packVersion: version, packSerial: serial, now: now)
            let merchant = c?.merchantID ?? ""
            try audit(change.state == .overdue ? "receipt_overdue" : "receipt_matched", merchant,
                      "\(change.instructionID): \(change.state.rawValue)" + (change.receiptID.map { " (receipt \($0))" } ?? ""),
                      [], actor: change.state == .overdue ? .agent : .platform)
        }
        timed("instructions")

        // Roster.
        for d in o.rosterDecisions {
            var instructionID: String?
            // A proposal the regulator's roster decision keeps from applying tells the platform
            // nothing: the merchant's standing there did not change.
            if pack.roster.notifyPlatform && d.source == "agent" && d.applies {
                let number = try nextSandboxNumber()
                let id = "\(config.platformID)-sandbox-" + PolicyPass.padded(number)
                instructionID = id
                try emit("sandbox", lines.sandbox(d, id: id, now: now))
            }
            let st = o.states[d.row] ?? MerchantPolicyState.initial
            let item = lines.rosterItem(d, state: st, now: now)
            // The history's record and the current item: the same bytes, encoded once (schema v11).
            let stored = state.itemCodec.encode(item, as: .roster)
            try state.appendRosterHistory(merchantID: d.merchantID, at: now, decision: d.decision.rawValue, source: d.source,
                                          stored: stored, directiveID: d.directiveID, instructionID: instructionID, packSerial: serial)
            try state.storePolicyItem(type: .roster, key: d.merchantID, uscc: lines.uscc(d.merchantID), stored: stored,
                                      packVersion: version, packSerial: serial, now: now)
            try audit(d.decision == .admitted ? "roster_admitted" : "roster_removed", d.merchantID,
                      d.decision.rawValue + " (" + (d.source == "regulator" ? "regulator directive \(d.directiveID ?? "")"
                                                    : d.criteria.filter(\.holds).map(\.id).joined(separator: ", ")) + ")"
                        + (d.applies ? "" : "; a proposal only: the regulator's roster does not admit the enterprise"),
                      item, actor: d.source == "regulator" ? .regulator : .agent)
        }
        for id in o.appliedDirectives { try state.markDirectiveApplied(id) }
        timed("roster")

        // Prompts.
        for p in o.prompts {
            let line = lines.prompt(p, now: now)
            try emit("prompt", line)
            try state.recordPrompt(p, at: now, day: today)
            try state.storePolicyItem(type: .prompt, key: p.instructionID, uscc: lines.uscc(p.merchantID),
                                      data: lines.promptItem(p, now: now), packVersion: version, packSerial: serial, now: now)
            try audit("prompt_issued", p.merchantID, "\(p.promptID) \(p.windowKey) \(p.instructionID)" + (p.cause.map { " (cause \($0))" } ?? ""), [])
            written.prompts += 1
        }
        for e in o.episodesEnded { try state.endEpisode(merchantID: e.merchantID, promptID: e.promptID) }
        timed("prompts")
    }

    private func nextSandboxNumber() throws -> Int {
        let n = try sandboxNumber ?? Int(state.meta("policy.sandbox_next") ?? "1") ?? 1
        sandboxNumber = n + 1
        return n
    }

    /// After the last part (`o`, which ends the pass): the counters, and the files renamed into place.
    func finish(_ o: PolicyOutcome) throws -> Written {
        let start = ContinuousClock.now
        try state.setMeta("policy.sandbox_next", String(try sandboxNumber ?? Int(state.meta("policy.sandbox_next") ?? "1") ?? 1))
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
