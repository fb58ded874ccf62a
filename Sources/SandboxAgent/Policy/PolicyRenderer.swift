import SandboxCore
import SandboxPolicy

/// Renders each part of a pass's outcome as the writes that record it (docs/policy.md §1): state
/// rows and histories, instruction lines for the outbox (one file per kind; prompts split by
/// size), policy feed items for the regulator, and the audit trail. Parts come in the order a
/// whole outcome lists its decisions, and their writes are made in that order, so the rows,
/// items, audit events and lines are the ones the whole outcome wrote, whatever the parts.
///
/// Nothing here writes: `PolicyWriter` applies the writes on the thread that owns the state.
/// Lines and items are rendered and compressed here, with a codec of the renderer's own, so a pass
/// can render on one thread while another writes (`PolicyPassThread`). It reads shop names and
/// evidence texts through `lines.fetch`, from the connection of the thread it runs on.
final class PolicyRenderer {
    let platformID: String
    let pack: RulePack
    let lines: PolicyLines
    let now: Int64
    let casesBefore: CaseIndex
    private let codec = PolicyItemCodec()
    /// The next sandbox notice's number (the engine decides roster changes, not lines).
    private(set) var sandboxNumber: Int
    /// Seconds per section of the rendering, summed over the parts.
    private(set) var seconds: [String: Double] = [:]

    /// Asked before each chunk: whether to compress its items here (true), or leave them to the
    /// writer (false, while the writer waits for work; set by `PolicyPassThread`).
    var encodesItems: () -> Bool = { true }

    /// `sandboxNumber`: the state's `policy.sandbox_next` when the pass began.
    init(platformID: String, pack: RulePack, lines: PolicyLines, now: Int64, casesBefore: CaseIndex, sandboxNumber: Int) {
        self.platformID = platformID; self.pack = pack; self.lines = lines; self.now = now
        self.casesBefore = casesBefore; self.sandboxNumber = sandboxNumber
    }

    /// Class changes' audit details by previous class, class and points: a few hundred texts
    /// for the 469,000 changes of a first pass, each made once instead of by a string
    /// interpolation per change (5 % of the renderer's instructions, issue 16, session 39).
    private var classDetails: [ClassChange: String] = [:]

    private struct ClassChange: Hashable {
        let previous: RiskClass?
        let riskClass: RiskClass
        let points: Int
    }

    private func classDetail(_ d: ClassDecision) -> String {
        let change = ClassChange(previous: d.previousClass, riskClass: d.riskClass, points: d.points)
        if let known = classDetails[change] { return known }
        let detail = "class \(d.previousClass?.rawValue ?? "none") → \(d.riskClass.rawValue) (\(d.points) points)"
        // Points are small whole numbers: the texts stay few; past this, each is made for itself.
        if classDetails.count < 4_096 { classDetails[change] = detail }
        return detail
    }

    /// Writes per chunk handed to the writer: about 1 MB of lines, items and audit events.
    static let chunkWrites = 1_024

    /// Renders a part, handing its writes to `deliver` in chunks, in order; the first chunk
    /// carries the part.
    func render(_ o: PolicyOutcome, deliver: (RenderedPart) -> Void) {
        let serial = pack.header.serial
        let version = lines.packVersion
        let now = now, lines = lines
        /// The codec when this chunk's items are compressed here; nil leaves them to the writer.
        var encoding: PolicyItemCodec? = encodesItems() ? codec : nil
        var rendered = RenderedPart(part: o)
        /// The section's writes, with room for a whole chunk: a write is about 130 bytes, and
        /// growing the array by doubling copied each chunk's writes once more (1 % of a first
        /// pass's instructions, issue 16, session 35).
        var w: [PolicyWrite] = []
        w.reserveCapacity(Self.chunkWrites)
        var current = "states"
        var lap = ContinuousClock.now
        /// Time spent in `deliver` (waiting for the writer), not rendering.
        var handing: Duration = .zero
        func closeSection() {
            guard !w.isEmpty else { return }
            rendered.sections.append((current, w))
            w = []
            w.reserveCapacity(Self.chunkWrites)
        }
        func hand() {
            let t = ContinuousClock.now
            deliver(rendered)
            rendered = RenderedPart()
            handing += ContinuousClock.now - t
            encoding = encodesItems() ? codec : nil
        }
        func add(_ write: PolicyWrite) {
            w.append(write)
            if w.count >= Self.chunkWrites {
                closeSection()
                hand()
            }
        }
        /// Ends the current section's timing; the writes that follow belong to `next`.
        func section(_ next: String) {
            closeSection()
            let t = ContinuousClock.now
            seconds[current, default: 0] += (t - lap - handing).inSeconds
            lap = t
            handing = .zero
            current = next
        }
        defer {
            section("")
            if rendered.part != nil || !rendered.sections.isEmpty { hand() }
        }
        /// The pass's time as every audit event writes it, made once.
        let stamp = lines.fragments.stamp(now)
        /// The last merchant's USCC: a decision's item and its audit event ask for the same one,
        /// and each look-up makes the string again. `row`: the merchant's row of the facts, which a
        /// decision carries (found by id without it).
        var lastUSCC: (merchantID: String, uscc: String?)?
        func uscc(_ merchantID: String, row: Int? = nil) -> String? {
            if let last = lastUSCC, last.merchantID == merchantID { return last.uscc }
            let found = lines.uscc(merchantID, row: row)
            lastUSCC = (merchantID, found)
            return found
        }
        func audit(_ kind: String, _ merchantID: String, _ detail: String, _ record: [UInt8], actor: AuditEvent.Actor = .agent,
                   subject: String? = nil) {
            // Room for a chunk's events at its first: about 300 KB of a first pass's roster or
            // class sections (its cases' events are larger, and grow it once or twice).
            if rendered.audit.capacity == 0 { rendered.audit.reserveCapacity(1 << 18) }
            let start = rendered.auditEnd
            let merchantUSCC = uscc(merchantID)
            record.withUnsafeBufferPointer { record in
                rendered.writeAudit { buffer, end in
                    AuditEvent.write(at: now, stamp: stamp, actor: actor, kind: kind, merchantID: merchantID, uscc: merchantUSCC,
                                     rulePack: version, subject: subject, detail: detail, record: record, to: &buffer, end: &end)
                }
            }
            add(.audit(start..<rendered.auditEnd))
        }
        func item(_ type: FeedType, _ key: String, uscc: String?, _ json: [UInt8], packVersion: String? = nil,
                  packSerial: Int? = nil) {
            add(.item(type, key: key, uscc: uscc, PolicyPayload(json, as: type, codec: encoding),
                      packVersion: packVersion ?? version, packSerial: packSerial ?? serial))
        }

        // Merchant state (class and roster standing): final in the part that carries it.
        var ids = TextColumn()
        if case .text(let t)? = lines.facts.columns[.merchantID] { ids = t }
        for (row, st) in o.states.sorted(by: { $0.key < $1.key }) {
            add(.merchantState(merchantID: ids[row] ?? "", st))
        }
        section("class")

        // Class decisions.
        for d in o.classDecisions {
            item(.riskClass, d.merchantID, uscc: uscc(d.merchantID, row: d.row), lines.classItem(d, since: d.classSince, now: now))
            if d.previousClass != d.riskClass {
                // The audit keeps the decision's summary (class, points, contributing indicators);
                // the full explanation is the current item, sent to the regulator. The audit is the
                // class's history (`sandbox-agent audit --merchant`): `class_history` kept the same
                // summary again until session 36 (issue 16: no payload stored twice).
                audit("class_changed", d.merchantID, classDetail(d), PolicyLines.classSummary(d))
            }
        }
        section("cases")

        // Cases and their instructions. The cases that existed and changed come in blocks, each
        // with its instructions and receipt changes, then the new cases in blocks, each with its
        // instructions; a block's cases are looked up by index, not copied
        // into a dictionary, nor the two lists joined (issue 16).
        var caseIndex: [String: Int] = [:]
        for (i, c) in o.openedCases.enumerated() { caseIndex[c.id] = i }
        for (i, c) in o.changedCases.enumerated() { caseIndex[c.id] = o.openedCases.count + i }
        func caseOf(_ id: String) -> PolicyCase? {
            caseIndex[id].map { $0 < o.openedCases.count ? o.openedCases[$0] : o.changedCases[$0 - o.openedCases.count] }
        }
        let calendar = PolicyCalendar(nonWorkingDays: pack.nonWorkingDays)
        /// The case's row and item; returns the item, which its audit event carries too.
        func store(_ c: PolicyCase) -> [UInt8] {
            add(.policyCase(c, nextDue: c.nextDue(calendar: calendar),
                            record: PolicyPayload(CaseRecord.json(c), with: .caseRecords, codec: encoding)))
            let json = lines.caseItem(c)
            item(.policyCase, c.id, uscc: c.uscc, json, packVersion: c.rule.packVersion, packSerial: c.packSerial)
            return json
        }
        func issue(_ i: PolicyInstruction) {
            guard let c = caseOf(i.caseID) else { return }
            let line = lines.instruction(i, case: c)
            add(.line(kind: i.kind.fileKind, line))
            add(.instruction(i))
            item(.instruction, i.id, uscc: c.uscc, InstructionItem.withReceiptState(line, i.kind.expectsReceipt ? "awaiting" : "none"))
            audit("instruction_issued", i.merchantID, "\(i.kind.rawValue) \(i.id) for \(c.id) (\(c.ruleID))", line)
        }
        // Changed first: a case closed in this pass frees its (merchant, rule) for a new one.
        let changedItems = o.changedCases.map(store)
        for (c, json) in zip(o.changedCases, changedItems)
        where c.state == .terminated && c.rectifiedAt != nil && casesBefore[c.id]?.state == .terminated {
            audit("cleared_after_termination", c.merchantID, "\(c.id) \(c.ruleID): condition cleared after service was stopped",
                  json)
        }
        for (c, json) in zip(o.changedCases, changedItems) where !c.state.isOpen && casesBefore[c.id]?.state.isOpen == true {
            audit(c.state == .rectified || c.state == .rectifiedLate ? "case_rectified" : "case_closed", c.merchantID,
                  "\(c.id) \(c.ruleID): \(c.state.rawValue)" + (c.determination.map { "; determination \($0.result.rawValue)" } ?? ""),
                  json)
        }
        // The instructions of the cases that existed, in the engine's order; a new case's come with
        // it. New cases are written case by case (row, item, audit, then its instructions), so a
        // pass whose new cases come in blocks of any size writes the same rows, items, audit
        // events and lines in the same order.
        var ofOpened: [Int: [Int]] = [:]
        for (n, i) in o.instructions.enumerated() {
            if let k = caseIndex[i.caseID], k < o.openedCases.count { ofOpened[k, default: []].append(n) } else { issue(i) }
        }
        for (k, c) in o.openedCases.enumerated() {
            let json = store(c)
            audit("case_opened", c.merchantID, "\(c.ruleID) \(c.rule.title); deadline \(PolicyLines.day(c.deadlineDay) ?? "none")",
                  json)
            for n in ofOpened[k] ?? [] { issue(o.instructions[n]) }
        }
        section("instructions")
        for change in o.receiptChanges {
            let c = caseOf(change.caseID)
            let merchant = c?.merchantID ?? ""
            add(.receiptChange(change, uscc: c?.uscc, merchantID: merchant, merchantUSCC: uscc(merchant)))
        }
        section("roster")

        // Roster.
        for d in o.rosterDecisions {
            var instructionID: String?
            // A proposal the regulator's roster decision keeps from applying tells the platform
            // nothing: the merchant's standing there did not change.
            if pack.roster.notifyPlatform && d.source == "agent" && d.applies {
                let id = PolicyPass.identifier(platformID, "sandbox", sandboxNumber)
                sandboxNumber += 1
                instructionID = id
                add(.line(kind: "sandbox", lines.sandbox(d, id: id, now: now)))
            }
            let st = o.states[d.row] ?? MerchantPolicyState.initial
            let json = lines.rosterItem(d, state: st, now: now)
            // The current item; the audit event below is the decision's history, with the item as
            // its record and the notice's id as its subject (`roster_history` kept the same record
            // again until session 36, issue 16).
            item(.roster, d.merchantID, uscc: uscc(d.merchantID, row: d.row), json)
            // The agent's own decisions name the criteria that hold: a few patterns a pass, made once.
            func detail() -> String {
                d.decision.rawValue + " (" + (d.source == "regulator" ? "regulator directive \(d.directiveID ?? "")"
                                              : d.criteria.filter(\.holds).map(\.id).joined(separator: ", ")) + ")"
                    + (d.applies ? "" : "; a proposal only: the regulator's roster does not admit the enterprise")
            }
            audit(d.decision == .admitted ? "roster_admitted" : "roster_removed", d.merchantID,
                  d.source == "regulator" ? detail()
                    : lines.fragments.text(.rosterDetail, [d.decision.rawValue, d.applies ? nil : "proposal"]
                                                + d.criteria.map { $0.holds ? $0.id : nil }, detail),
                  json, actor: d.source == "regulator" ? .regulator : .agent, subject: instructionID)
        }
        for id in o.appliedDirectives { add(.directiveApplied(id)) }
        section("prompts")

        // Prompts.
        for p in o.prompts {
            add(.line(kind: "prompt", lines.prompt(p, now: now)))
            add(.prompt(p))
            item(.prompt, p.instructionID, uscc: uscc(p.merchantID, row: p.row), lines.promptItem(p, now: now))
            audit("prompt_issued", p.merchantID, "\(p.promptID) \(p.windowKey) \(p.instructionID)" + (p.cause.map { " (cause \($0))" } ?? ""), [])
        }
        for e in o.episodesEnded { add(.episodeEnded(merchantID: e.merchantID, promptID: e.promptID)) }
    }
}
