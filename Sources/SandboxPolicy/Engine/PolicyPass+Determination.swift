/// Stage 5: the art. 33 determination for rectified cases (docs/policy.md §6.4) and the
/// confirmation line that carries it (with the education note) to the platform.
extension PolicyPass {
    mutating func determine(_ cases: [PolicyCase]) {
        let d = pack.determination
        let rows = cases.map { rowOf[$0.merchantID]! }
        var caseFacts = facts.gather(rows)
        let n = cases.count
        let all = Bits(count: n, filled: true)
        caseFacts.columns[.caseOpenedOn] = .date(cases.map { Int32($0.openedDay) }, known: all)
        var deadlineKnown = Bits(count: n)
        for (i, c) in cases.enumerated() where c.deadlineDay != nil { deadlineKnown[i] = true }
        caseFacts.columns[.caseDeadline] = .date(cases.map { Int32($0.deadlineDay ?? 0) }, known: deadlineKnown)
        caseFacts.columns[.caseRule] = .text(TextColumn(cases.map(\.ruleID)))
        caseFacts.columns[.caseSeverity] = .coded(cases.map { CodedKind.severity.code(ofStored: $0.rule.severity.rawValue)! })
        for stage in [ConditionField.casesOpen, .casesOpenSerious, .casesOverdue, .casesSuspended, .rosterMember, .rosterMemberSince] {
            caseFacts.columns[stage] = nil   // not decided yet for this pass; conditions reading them see unknown
        }
        let evaluator = ConditionEvaluator(facts: caseFacts)
        let harm = evaluator.truth(d.harm)
        let seriousHarm = d.seriousHarm.map { evaluator.truth($0) }
        let harmCounts = d.harm.counts.first.map { evaluator.numbers($0).values }

        // Where each changed case stands in the outcome (its last copy), to replace it there: a
        // search of the list for each case was quadratic in a pass that confirms tens of
        // thousands of rectifications at once.
        var changedAt: [String: Int] = [:]
        for (k, c) in outcome.changedCases.enumerated() { changedAt[c.id] = k }

        for (i, var c) in cases.enumerated() {
            let day = PolicyCalendar.day(of: c.rectifiedAt ?? input.now)
            let inTime = c.deadlineDay.map { day <= $0 } ?? true
            let earlier = input.earlierCases(c.subject, d.firstScope == .sameRule ? c.ruleID : nil,
                                             c.openedDay - d.lookbackDays, c.openedDay).filter { $0 != c.id }
            let first = earlier.isEmpty
            let noHarm = harm.known[i] && !harm.value[i]
            let noSeriousHarm = seriousHarm.map { $0.known[i] && !$0.value[i] } ?? false
            var result: CaseDetermination.Result = .none
            var note: String?
            if c.rule.addressee == .platform {
                result = .notApplicable
            } else if d.noPenaltySeverities.contains(c.rule.severity), inTime, noHarm {
                // Art. 33 ¶1 sentence 1: minor, corrected in time, no harm → 不予行政处罚. No
                // "first" condition here (that is sentence 2's, below): issue 13's correction.
                result = .noPenalty; note = d.educationNote
            } else if d.mayNotPenalizeSeverities.contains(c.rule.severity), first, inTime, noSeriousHarm {
                result = .mayNotPenalize; note = d.mayNotPenalizeNote
            }
            let determination = CaseDetermination(
                result: result, basis: d.basis,
                severityHolds: d.noPenaltySeverities.contains(c.rule.severity) || d.mayNotPenalizeSeverities.contains(c.rule.severity),
                first: first, earlierCases: earlier, inTime: inTime, rectifiedOn: day, deadlineDay: c.deadlineDay,
                harmEvents: Int((harmCounts?[i] ?? 0) / 100), noHarm: noHarm, note: note)
            c.determination = determination
            let id = nextInstructionID(.rectificationConfirmed)
            outcome.instructions.append(PolicyInstruction(
                id: id, kind: .rectificationConfirmed, caseID: c.id, merchantID: c.merchantID, ruleID: c.ruleID, step: nil,
                issuedAt: input.now, issuedDay: today, deadlineDay: nil, receiptDueDay: nil, reason: c.rule.reason,
                action: c.rule.action, basis: d.basis, guidanceID: c.instructionIDs.first, previousID: c.instructionIDs.last,
                originalDeadlineDay: c.deadlineDay, suspendInstructionID: nil, rectifiedAt: c.rectifiedAt, inTime: inTime,
                // The determination is a recommendation: the education note reaches the merchant only
                // when an officer decides (a `determination` directive from the regulator), not from
                // the agent, which is no administrative organ (issue 12). It rides in the case item
                // (`determination.note`) for the officer to send.
                determination: determination, educationNote: nil))
            c.instructionIDs.append(id)
            if let row = rowOf[c.merchantID] { closeSuspension(&c, row: row) }
            // replace the stored copy in the outcome
            if let k = changedAt[c.id] { outcome.changedCases[k] = c } else {
                changedAt[c.id] = outcome.changedCases.count
                outcome.changedCases.append(c)
            }
        }
    }
}
