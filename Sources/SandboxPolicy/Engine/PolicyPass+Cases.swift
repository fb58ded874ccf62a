/// Stage 2: receipts, triggers and the life of cases (docs/policy.md §6): clearing and the
/// art. 33 determination, the ladder one step per case per pass, reinstatement, new cases with
/// their lead and guidance.
extension PolicyPass {
    mutating func runCases() {
        let evaluator = ConditionEvaluator(facts: facts)
        var merchantTriggers: [String: (known: Bits, value: Bits)] = [:]
        for t in pack.triggers { if case .merchant(let c) = t.condition { merchantTriggers[t.id] = evaluator.truth(c) } }

        // Receipts: close steps; a `rectified` receipt clears a receipt-cleared case.
        var awaitedByID: [String: AwaitedInstruction] = [:]
        for a in input.awaited { awaitedByID[a.id] = a }
        var rectifiedByReceipt: [String: Int64] = [:]   // case id → receipt time
        // Instruction id → case id for every case the pass was given: a `rectified` receipt may
        // quote an instruction whose receipt already arrived or went overdue (typically the
        // guidance, first answered `executed` = delivered). docs/policy.md §6.3: "a receipt with
        // action `rectified` for any instruction of the case closes it" — matching only awaited
        // instructions left such receipt-cleared (RL-11) cases open for ever.
        var caseOfInstruction: [String: String] = input.receiptCases
        for c in input.openCases { for id in c.instructionIDs { caseOfInstruction[id] = c.id } }
        // A repair application answers a prompt, not a step: the regulator acts on it.
        for receipt in input.receipts.sorted(by: { ($0.at, $0.receiptID) < ($1.at, $1.receiptID) })
        where receipt.action != .repairApplication {
            guard let a = awaitedByID.removeValue(forKey: receipt.instructionID) else {
                if receipt.action == .rectified, let caseID = caseOfInstruction[receipt.instructionID] {
                    receiptChanged(ReceiptStateChange(instructionID: receipt.instructionID, caseID: caseID,
                                                                     state: .rectified, receiptID: receipt.receiptID, at: receipt.at))
                    if rectifiedByReceipt[caseID] == nil { rectifiedByReceipt[caseID] = receipt.at }
                    changedCaseIDs.insert(caseID)
                }
                continue
            }
            let state: PolicyInstruction.ReceiptState = switch receipt.action {
            case .executed: .executed
            case .rectified: .rectified
            case .rejected: .rejected
            case .repairApplication: .executed   // not reached: skipped above
            }
            receiptChanged(ReceiptStateChange(instructionID: a.id, caseID: a.caseID, state: state,
                                                             receiptID: receipt.receiptID, at: receipt.at))
            if receipt.action == .rectified, rectifiedByReceipt[a.caseID] == nil { rectifiedByReceipt[a.caseID] = receipt.at }
            changedCaseIDs.insert(a.caseID)
        }
        for a in awaitedByID.values.sorted(by: { $0.id < $1.id }) {
            guard let due = a.receiptDueDay, today > due else { continue }
            receiptChanged(ReceiptStateChange(instructionID: a.id, caseID: a.caseID, state: .overdue,
                                                             receiptID: nil, at: input.now))
            changedCaseIDs.insert(a.caseID)
        }

        // Officers' decisions on proposed steps (CaseProposal): each touches its case.
        var decisionsByCase: [String: [ProposalDecision]] = [:]
        for d in input.proposalDecisions.sorted(by: { ($0.decidedAt, $0.directiveID) < ($1.decidedAt, $1.directiveID) }) {
            decisionsByCase[d.caseID, default: []].append(d)
            changedCaseIDs.insert(d.caseID)
            outcome.appliedDirectives.append(d.directiveID)
        }

        // Existing cases: summaries for all, the whole case only for those something happens to
        // (due, a receipt, a rule gone, the condition cleared, the storefront closed).
        var rectified: [PolicyCase] = []
        // (row, rule) of terminated cases whose condition still holds: they block a new case.
        var terminatedHolding = Set<String>()
        func holding(_ c: CaseSummary, row: Int) {
            terminatedHolding.insert("\(row)\(PolicyPassInput.separator)\(c.ruleID)")
            terminatedUncleared[row, default: []].append(c)
        }
        var summaries = input.caseIndex
        var given: [String: PolicyCase] = [:]
        if summaries.isEmpty {
            for c in input.openCases { given[c.id] = c }
            summaries = input.openCases.map { CaseSummary($0, calendar: calendar) }
        }
        for s in summaries where s.suspensionInForce { suspendedCaseIDs[s.merchantID, default: []].append(s.id) }
        var caseTriggers: [String: PackTrigger] = [:]
        for t in pack.triggers where t.response == .case { caseTriggers[t.id] = t }
        for s in summaries.sorted(by: { $0.id < $1.id }) {
            if outcome.changedCases.count >= changedCaseBlock { handOverChangedCases(determining: &rectified) }
            guard let row = rowOf[s.merchantID] else { light(s, row: nil); continue }
            var touch = caseTriggers[s.ruleID] == nil || changedCaseIDs.contains(s.id) || rectifiedByReceipt[s.id] != nil
                || (s.nextDueAt ?? .max) <= input.now
            if !touch, let trigger = caseTriggers[s.ruleID], trigger.clearsBy == .condition,
               let t = merchantTriggers[trigger.id], t.known[row], !t.value[row] || (s.state.isOpen && !appliesTo(row)) {
                touch = true
            }
            guard touch, var c = given[s.id] ?? input.loadCase(s.id) else {
                light(s, row: row)
                if s.state == .terminated { holding(s, row: row) }
                continue
            }
            let before = c
            for d in decisionsByCase[c.id] ?? [] { decide(&c, d) }
            if c.state == .terminated {
                // docs/policy.md §6.6: termination is final. The terminated case is watched (the
                // agent passes it among `openCases` until `rectifiedAt` is set) so that (a) a later
                // clearing is recorded once, without determination or reinstatement, and (b) the
                // condition that still holds does not open a new case the next day — before this,
                // a terminated merchant got a new guidance and a new ladder every ~50 days.
                guard let trigger = pack.triggers.first(where: { $0.id == c.ruleID && $0.response == .case }) else {
                    keep(c, changed: false); continue
                }
                var clearedAt: Int64?
                switch trigger.clearsBy {
                case .condition:
                    if let t = merchantTriggers[trigger.id], t.known[row], !t.value[row] { clearedAt = input.now }
                case .receipt:
                    clearedAt = rectifiedByReceipt[c.id]
                }
                if let at = clearedAt {
                    c.rectifiedAt = at
                    c.closeReason = "cleared after termination"
                } else {
                    holding(CaseSummary(c, calendar: calendar), row: row)
                }
                keep(c, changed: c != before || changedCaseIDs.contains(c.id))
                continue
            }
            guard let trigger = pack.triggers.first(where: { $0.id == c.ruleID && $0.response == .case }) else {
                close(&c, state: .withdrawn, reason: "rule \(c.ruleID) is not in pack \(pack.packVersion)")
                closeSuspension(&c, row: row)
                keep(c, changed: true)
                continue
            }
            var clearedAt: Int64?
            switch trigger.clearsBy {
            case .condition:
                if let t = merchantTriggers[trigger.id], t.known[row] {
                    if !t.value[row] { clearedAt = input.now } else if !appliesTo(row) {
                        close(&c, state: .ended, reason: "storefront closed while the condition still held")
                        closeSuspension(&c, row: row)
                    }
                }
            case .receipt:
                clearedAt = rectifiedByReceipt[c.id]
            }
            if let at = clearedAt, c.state.isOpen {
                let day = PolicyCalendar.day(of: at)
                let inTime = c.deadlineDay.map { day <= $0 } ?? true
                c.rectifiedAt = at
                close(&c, state: inTime ? .rectified : .rectifiedLate, reason: "rectified")
                rectified.append(c)
            } else if c.state.isOpen {
                advanceLadder(&c, row: row, trigger: trigger)
                // Terminated by this pass: its condition holds, so no new case of the rule today.
                if c.state == .terminated { holding(CaseSummary(c, calendar: calendar), row: row) }
            }
            keep(c, changed: c != before || changedCaseIDs.contains(c.id))
        }
        // Receipt changes whose case did not change here (closed already, or not found) go with
        // the last block of the cases that existed, in the order they were decided.
        outcome.receiptChanges += receiptChangesWaiting.filter { receiptChangesOfCase[$0.caseID] != nil }
        receiptChangesWaiting = []
        receiptChangesOfCase = [:]
        // The cases that existed are handed over before the new ones: the writer stores a closed
        // case before a new case of its (merchant, rule) frees the place, and the new cases go in
        // blocks (a first pass opens 81,685 cases; held in one part with their instructions they
        // were tens of MB to the end of the stage, issue 16).
        handOverChangedCases(determining: &rectified)

        // New cases.
        for trigger in pack.triggers {
            switch (trigger.response, trigger.condition) {
            case (.prompt, .merchant):
                guard let p = trigger.prompt, let t = merchantTriggers[trigger.id] else { continue }
                for r in t.value.indexes where appliesTo(r) { promptRequests[p, default: [:]][r] = trigger.id }
            case (.case, .merchant):
                guard let t = merchantTriggers[trigger.id] else { continue }
                for r in t.value.indexes where appliesTo(r) && !(casesByRow[r] ?? []).contains(where: { $0.ruleID == trigger.id && $0.state.isOpen })
                    && !terminatedHolding.contains("\(r)\(PolicyPassInput.separator)\(trigger.id)") {
                    open(trigger, row: r, event: nil)
                }
            case (.case, .events(let filter, let within)):
                openEventCases(trigger, filter: filter, withinDays: within)
            case (.prompt, .events):
                continue
            }
        }
    }

    /// A block of new cases, with their instructions (each case's come with it), is handed over
    /// when it is full: at most `caseBlock` cases.
    mutating func handOverFullBlockOfCases() {
        if outcome.openedCases.count >= min(blockRows, Self.caseBlock) { handOver() }
    }

    /// Hands over a block of the cases that existed and changed, after the art. 33 determination of
    /// the block's rectified ones (which replaces them in the block), with their instructions and
    /// receipt changes. A day that confirms 74,000 rectifications held them all, decoded and then
    /// rendered, to the end of the stage: 776 MiB against 241 MiB for a steady day (issue 16).
    mutating func handOverChangedCases(determining rectified: inout [PolicyCase]) {
        if !rectified.isEmpty { determine(rectified) }
        rectified = []
        handOver()
    }

    /// A receipt's change of an instruction's state waits for its case and goes in the case's
    /// block: the writer finds the case's subject there.
    mutating func receiptChanged(_ change: ReceiptStateChange) {
        receiptChangesOfCase[change.caseID, default: []].append(receiptChangesWaiting.count)
        receiptChangesWaiting.append(change)
    }

    /// A case the pass does not touch: it counts as it stands.
    mutating func light(_ s: CaseSummary, row: Int?) {
        if let row, s.state.isOpen { casesByRow[row, default: []].append(s) }
    }

    /// Puts a case into this pass's picture (and the outcome when it changed).
    mutating func keep(_ c: PolicyCase, changed: Bool) {
        if let row = rowOf[c.merchantID], c.state.isOpen { casesByRow[row, default: []].append(CaseSummary(c, calendar: calendar)) }
        guard changed else { return }
        outcome.changedCases.append(c)
        for k in receiptChangesOfCase.removeValue(forKey: c.id) ?? [] { outcome.receiptChanges.append(receiptChangesWaiting[k]) }
    }

    func close(_ c: inout PolicyCase, state: PolicyCase.State, reason: String) {
        c.state = state
        c.closedAt = input.now
        c.closeReason = reason
        // A step still waiting for an officer, or confirmed and not issued, will never be.
        if let p = c.proposal, p.state.isWaiting || (p.state == .confirmed && p.step > c.stepsIssued) {
            c.proposal?.state = .lapsed
        }
    }

    /// An officer's decision applies to the proposal it answers while that still waits at the
    /// case's next step; otherwise (the case moved on, or it was decided already) it is ignored.
    func decide(_ c: inout PolicyCase, _ d: ProposalDecision) {
        guard var p = c.proposal, p.step == d.step, p.step == c.stepsIssued + 1, p.state.isWaiting, c.state.isOpen else { return }
        switch d.decision {
        case .confirm: p.state = .confirmed
        case .defer:
            p.state = .deferred
            p.deferredUntilDay = d.untilDay ?? today + 1
        case .cancel: p.state = .cancelled
        }
        p.decidedBy = d.officer
        p.decidedAt = d.decidedAt
        p.reason = d.reason
        p.directiveID = d.directiveID
        c.proposal = p
    }

    /// Whether a step that needs an officer (`confirm = "staff"`) may be issued: only once
    /// confirmed. Otherwise it is proposed (once, and again when a deferral's day comes) and the
    /// case waits at the step; a cancelled step stops the ladder.
    func confirmedByOfficer(_ c: inout PolicyCase, step: PackLadder.Step) -> Bool {
        let number = c.stepsIssued + 1
        guard var p = c.proposal, p.step == number else {
            c.proposal = CaseProposal(step: number, kind: step.kind, state: .pending, firstProposedAt: input.now,
                                      proposedAt: input.now)
            return false
        }
        switch p.state {
        case .confirmed:
            return true
        case .deferred:
            if let until = p.deferredUntilDay, today >= until {
                p.state = .pending
                p.proposedAt = input.now
                p.deferredUntilDay = nil
                c.proposal = p
            }
            return false
        case .pending, .cancelled, .lapsed:
            return false
        }
    }

    /// A closed case lifts its suspension; the merchant is reinstated once no other open case
    /// keeps one in force (docs/policy.md §6.6).
    mutating func closeSuspension(_ c: inout PolicyCase, row: Int) {
        guard c.suspensionInForce else { return }
        c.suspensionInForce = false
        // Cases are taken in id order: the ones already taken are in casesByRow as they stand now,
        // later ones as the input had them.
        let others = (casesByRow[row] ?? []).contains { $0.id != c.id && $0.state.isOpen && $0.suspensionInForce }
            || (suspendedCaseIDs[c.merchantID] ?? []).contains { $0 > c.id }
        guard !others else { return }
        let suspendID = c.instructionIDs.last { $0.contains("-suspend-") }
        let id = nextInstructionID(.reinstate)
        c.instructionIDs.append(id)
        outcome.instructions.append(PolicyInstruction(
            id: id, kind: .reinstate, caseID: c.id, merchantID: c.merchantID, ruleID: c.ruleID, step: nil,
            issuedAt: input.now, issuedDay: today, deadlineDay: nil,
            receiptDueDay: calendar.lastDay(from: today, days: pack.reinstate.receiptDays),
            reason: c.rule.reason, action: pack.reinstate.action, basis: pack.reinstate.basis, guidanceID: c.instructionIDs.first,
            previousID: nil, originalDeadlineDay: c.deadlineDay, suspendInstructionID: suspendID, rectifiedAt: c.rectifiedAt,
            inTime: nil, determination: nil, educationNote: nil))
    }

    /// Overdue after the deadline day; then one ladder step per pass when its day has come.
    mutating func advanceLadder(_ c: inout PolicyCase, row: Int, trigger: PackTrigger) {
        guard let deadline = c.deadlineDay, today > deadline else { return }
        if c.state == .open { c.state = .overdue }
        guard let due = c.dueDayOfNextStep(calendar: calendar), today >= due else { return }
        let step = c.rule.steps[c.stepsIssued]
        if step.confirm == .staff, !confirmedByOfficer(&c, step: step) { return }
        let kind = PolicyInstruction.Kind(step.kind)
        let id = nextInstructionID(kind)
        var stepDeadline: Int?
        if c.stepsIssued + 1 < c.rule.steps.count {
            stepDeadline = calendar.lastDay(from: today, days: c.rule.steps[c.stepsIssued + 1].afterDays)
        }
        outcome.instructions.append(PolicyInstruction(
            id: id, kind: kind, caseID: c.id, merchantID: c.merchantID, ruleID: c.ruleID, step: c.stepsIssued + 1,
            issuedAt: input.now, issuedDay: today, deadlineDay: stepDeadline,
            receiptDueDay: calendar.lastDay(from: today, days: step.receiptDays), reason: c.rule.reason, action: step.action,
            basis: step.basis, guidanceID: c.instructionIDs.first, previousID: c.instructionIDs.last,
            originalDeadlineDay: c.deadlineDay, suspendInstructionID: nil, rectifiedAt: nil, inTime: nil,
            determination: nil, educationNote: nil))
        c.instructionIDs.append(id)
        c.stepsIssued += 1
        c.lastStepDay = today
        switch step.kind {
        case .suspend: c.suspensionInForce = true
        case .terminate:
            c.suspensionInForce = false
            close(&c, state: .terminated, reason: "service stopped (terminate issued)")
        case .warning, .takedown: break
        }
        _ = row
    }

    mutating func open(_ trigger: PackTrigger, row r: Int, event: Int?) {
        let id = nextCaseID()
        let merchant = merchantID(r)
        let uscc = usccs[r]
        var snapshotSteps: [PackLadder.Step] = []
        if let l = trigger.ladder, let ladder = pack.ladders[l] { snapshotSteps = ladder.steps }
        let deadline = trigger.deadlineDays.map { calendar.lastDay(from: today, days: $0) }
        var c = PolicyCase(
            id: id, merchantID: merchant, uscc: uscc, subject: uscc ?? "pm:" + merchant, ruleID: trigger.id,
            caseKey: "", rule: CaseRuleSnapshot(title: trigger.title, severity: trigger.severity, addressee: trigger.addressee,
                                                reason: trigger.reason, action: trigger.action, basis: trigger.basis,
                                                deadlineDays: trigger.deadlineDays, clearsBy: trigger.clearsBy,
                                                ladderID: trigger.ladder, steps: snapshotSteps, packVersion: pack.packVersion),
            evidence: evidence(trigger, row: r, event: event), state: .open, openedAt: input.now, openedDay: today,
            deadlineDay: deadline, stepsIssued: 0, lastStepDay: nil, suspensionInForce: false, rectifiedAt: nil,
            closedAt: nil, closeReason: nil, determination: nil, instructionIDs: [], packSerial: pack.header.serial)
        if let e = event, case .text(let ids)? = facts.events.columns[.eventID] { c.caseKey = ids[e] ?? "" }
        if let kind = trigger.atOnce {
            openAtOnce(&c, kind: kind, trigger: trigger, row: r)
            return
        }
        let gid = nextInstructionID(.guidance)
        c.instructionIDs = [gid]
        outcome.instructions.append(PolicyInstruction(
            id: gid, kind: .guidance, caseID: id, merchantID: merchant, ruleID: trigger.id, step: nil, issuedAt: input.now,
            issuedDay: today, deadlineDay: deadline, receiptDueDay: calendar.lastDay(from: today, days: pack.guidance.receiptDays),
            reason: trigger.reason, action: trigger.action, basis: trigger.basis, guidanceID: nil, previousID: nil,
            originalDeadlineDay: nil, suspendInstructionID: nil, rectifiedAt: nil, inTime: nil, determination: nil,
            educationNote: nil))
        outcome.openedCases.append(c)
        casesByRow[r, default: []].append(CaseSummary(c, calendar: calendar))
        handOverFullBlockOfCases()
    }

    /// A case whose rule takes its step at once (`at_once`, DOMAIN §3 RL-05: an entity that no
    /// longer exists is not guided to rectify; the platform stops service at once; RL-04: goods
    /// that need a missing licence are taken down at once): that instruction instead of guidance,
    /// no deadline, no ladder. A termination ends the case as
    /// any termination does (§6.6); a suspension stays in force until the condition clears.
    mutating func openAtOnce(_ c: inout PolicyCase, kind: LadderStepKind, trigger: PackTrigger, row r: Int) {
        let instructionKind = PolicyInstruction.Kind(kind)
        let id = nextInstructionID(instructionKind)
        c.instructionIDs = [id]
        c.lastStepDay = today
        outcome.instructions.append(PolicyInstruction(
            id: id, kind: instructionKind, caseID: c.id, merchantID: c.merchantID, ruleID: trigger.id, step: nil,
            issuedAt: input.now, issuedDay: today, deadlineDay: nil,
            receiptDueDay: calendar.lastDay(from: today, days: pack.guidance.receiptDays), reason: trigger.reason,
            action: trigger.action, basis: trigger.basis, guidanceID: nil, previousID: nil, originalDeadlineDay: nil,
            suspendInstructionID: nil, rectifiedAt: nil, inTime: nil, determination: nil, educationNote: nil))
        switch kind {
        case .suspend: c.suspensionInForce = true
        case .terminate: close(&c, state: .terminated, reason: "service stopped at once (\(trigger.id))")
        // 下架: the goods stay down while the case is open; it is rectified when the condition
        // clears (a valid licence on file, or the category no longer listed), and the takedown's
        // own text tells the platform when it may list them again.
        case .warning, .takedown: break
        }
        outcome.openedCases.append(c)
        casesByRow[r, default: []].append(CaseSummary(c, calendar: calendar))
        handOverFullBlockOfCases()
    }

    /// One case per event that occurred within the window and matches, never reopened.
    mutating func openEventCases(_ trigger: PackTrigger, filter: TypedCondition, withinDays: Int) {
        let table = facts.events
        guard table.count > 0, case .date(let days, _)? = table.columns[.occurredAt],
              case .text(let ids)? = table.columns[.eventID] else { return }
        let selected = ConditionEvaluator.elements(facts: facts, table: table).truth(filter).value
        let first = Int32(today - withinDays + 1), last = Int32(today)
        for e in selected.indexes where days[e] >= first && days[e] <= last {
            guard let r = table.row(ofElement: e), appliesTo(r), let eventID = ids[e] else { continue }
            let key = PolicyPassInput.eventCaseKey(merchantID(r), trigger.id, eventID)
            guard !input.eventCaseKeys.contains(key) else { continue }
            open(trigger, row: r, event: e)
        }
    }

    func evidence(_ trigger: PackTrigger, row r: Int, event: Int?) -> [PolicyEvidence] {
        var out: [PolicyEvidence] = []
        if case .merchant(let condition) = trigger.condition {
            let found = facts.findings[r]  // not read in the closure: that would copy the whole pass
            for code in FindingMask.held(condition.findingCodes, in: found) {
                out += input.findingEvidence(r, code)
            }
        }
        for path in trigger.evidence {
            if path.hasPrefix("event.") {
                guard let e = event, let f = ElementField(rawValue: String(path.dropFirst(6))) else { continue }
                out.append(PolicyEvidence(field: path, expected: nil,
                                          found: facts.events.columns[f]?.describe(row: e, type: f.type), source: "event"))
            } else if let f = ConditionField(rawValue: path) {
                let found = facts.columns[f]?.describe(row: r, type: f.type) ?? (f.type == .text ? input.fieldText(r, f) : nil)
                out.append(PolicyEvidence(field: path, expected: nil, found: found, source: f.prefix))
            }
        }
        return out
    }
}

extension ElementTable {
    /// The row an element belongs to (binary search over the offsets).
    func row(ofElement e: Int) -> Int? {
        var lo = 0, hi = offsets.count - 2
        while lo <= hi {
            let mid = (lo + hi) / 2
            if Int(offsets[mid + 1]) <= e { lo = mid + 1 } else if Int(offsets[mid]) > e { hi = mid - 1 } else { return mid }
        }
        return nil
    }
}

extension ConditionEvaluator {
    /// An evaluator over the elements of a table (rows = events or licences).
    static func elements(facts: PolicyFacts, table: ElementTable) -> ConditionEvaluator {
        ConditionEvaluator(facts: facts, elementTable: table)
    }
}
