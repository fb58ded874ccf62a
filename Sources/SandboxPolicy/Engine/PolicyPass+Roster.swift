/// Stage 3: the sandbox roster (docs/policy.md §5) — removal by any removal criterion, admission
/// when every admission criterion holds and the cooling period or a regulator hold is over, the
/// regulator's own admit/remove directives, and its roster decisions, which decide whether the
/// agent's decision (its proposal) puts the merchant in the sandbox.
extension PolicyPass {
    mutating func runRoster() {
        let rows = facts.rows
        var open = [Int64](repeating: 0, count: rows), serious = open, overdue = open
        var suspended = Bits(count: rows)
        for (r, cases) in casesByRow {
            for c in cases where c.state.isOpen && c.addressee == .merchant {
                open[r] += 100
                if c.severity == .serious { serious[r] += 100 }
                if c.state == .overdue { overdue[r] += 100 }
                if c.suspensionInForce { suspended[r] = true }
            }
        }
        // A terminated case whose condition still holds is not "open" any more, but the violation
        // is unresolved: without this a merchant whose service was stopped for it had
        // cases.open = 0 the day after termination and was admitted to the sandbox (ADM-03).
        for (r, cases) in terminatedUncleared {
            for c in cases where c.addressee == .merchant {
                open[r] += 100
                if c.severity == .serious { serious[r] += 100 }
                overdue[r] += 100
            }
        }
        let all = Bits(count: rows, filled: true)
        facts.columns[.casesOpen] = .number(open, known: all)
        facts.columns[.casesOpenSerious] = .number(serious, known: all)
        facts.columns[.casesOverdue] = .number(overdue, known: all)
        facts.columns[.casesSuspended] = .bool(known: all, value: suspended)

        let evaluator = ConditionEvaluator(facts: facts)
        let admit = pack.roster.admit.map { evaluator.truth($0.when) }
        let remove = pack.roster.remove.map { evaluator.truth($0.when) }
        // Staff overrides act on the agent's own decision; the regulator's roster decisions
        // (verdicts) decide whether that decision applies.
        var directives: [Int: SandboxDirective] = [:], verdicts: [Int: SandboxDirective] = [:]
        for d in input.directives {
            if let r = rowOf[d.merchantID] {
                switch d.action {
                case .admit, .remove: directives[r] = d
                case .decidedMember, .decidedNotMember: verdicts[r] = d
                }
            }
            outcome.appliedDirectives.append(d.id)
        }
        func criteria(_ list: [PackCriterion], _ truth: [(known: Bits, value: Bits)], row r: Int) -> [RosterDecision.Criterion] {
            list.enumerated().map { i, c in
                let value: Bool? = truth[i].known[r] ? truth[i].value[r] : nil
                return RosterDecision.Criterion(id: c.id, text: c.text, value: value, holds: value == true)
            }
        }

        var memberBits = Bits(count: rows)
        var since = [Int32](repeating: 0, count: rows)
        for r in 0..<rows {
            var s = states[r]
            let wasApplied = s.applied, firstDecision = outcome.rosterDecisions.count
            let memberSinceBefore = s.memberSince
            if let v = verdicts[r] { s.excludedByRegulator = v.action == .decidedNotMember }
            if let d = directives[r], d.action == .remove || pack.roster.admissionWaivesCriteria
                || (admit.allSatisfy { $0.value[r] } && !remove.contains { $0.value[r] }) {
                // `[roster.regulator] admission_waives_criteria = false`: a regulator admission
                // still needs the criteria; until they hold it changes nothing.
                applyDirective(d, row: r, state: &s)
            } else {
                let admitAll = admit.allSatisfy { $0.value[r] }
                let removeHits = remove.indices.filter { remove[$0].value[r] }
                let admitOK = admitAll && removeHits.isEmpty
                if s.member {
                    if !removeHits.isEmpty {
                        let days = removeHits.map { pack.roster.remove[$0].readmitAfterDays ?? 0 }.max() ?? 0
                        s.member = false
                        s.readmitAfterDays = days
                        s.eligibleSince = nil
                        s.source = "agent"
                        let crit = criteria(pack.roster.remove, remove, row: r).filter(\.holds)
                        outcome.rosterDecisions.append(RosterDecision(
                            row: r, merchantID: merchantID(r), decision: .removed, source: "agent", criteria: crit,
                            directiveID: nil, memberSince: s.memberSince, readmitAfterDays: days,
                            readmitNotBefore: today + days + 1, reason: crit.map(\.text).joined(separator: "；")))
                        s.memberSince = nil
                    }
                } else {
                    s.eligibleSince = admitOK ? (s.eligibleSince ?? today) : nil
                    let held = s.holdUntilDay.map { today < $0 } ?? false
                    if admitOK, !held, today - (s.eligibleSince ?? today) >= (s.readmitAfterDays ?? 0) {
                        s.member = true
                        s.memberSince = today
                        s.source = "agent"
                        outcome.rosterDecisions.append(RosterDecision(
                            row: r, merchantID: merchantID(r), decision: .admitted, source: "agent",
                            criteria: criteria(pack.roster.admit, admit, row: r), directiveID: nil, memberSince: today,
                            readmitAfterDays: nil, readmitNotBefore: nil, reason: nil))
                    }
                }
            }
            // The agent's own decisions are proposals; they change the sandbox only where the
            // regulator's decision lets them. A verdict alone that changes it is a decision too.
            let changed = wasApplied != s.applied
            for i in firstDecision..<outcome.rosterDecisions.count { outcome.rosterDecisions[i].applies = changed }
            if changed, outcome.rosterDecisions.count == firstDecision, let v = verdicts[r] {
                outcome.rosterDecisions.append(RosterDecision(
                    row: r, merchantID: merchantID(r), decision: s.applied ? .admitted : .removed, source: "regulator",
                    criteria: [], directiveID: v.id, memberSince: s.applied ? s.memberSince : memberSinceBefore,
                    readmitAfterDays: nil, readmitNotBefore: nil,
                    reason: v.reason ?? (s.applied ? "the regulator's roster admits the enterprise"
                                                   : "the regulator's roster does not admit the enterprise")))
            }
            if !s.member, input.explainRows.contains(r) {
                outcome.unmetAdmission[r] = criteria(pack.roster.admit, admit, row: r).filter { !$0.holds }
            }
            setState(r, s)
            if s.applied { memberBits[r] = true; since[r] = Int32(s.memberSince ?? today) }
            // The block's decisions go with its rows' final states (the class's and the roster's).
            endOfRow(r, states: true)
        }
        facts.columns[.rosterMember] = .bool(known: all, value: memberBits)
        facts.columns[.rosterMemberSince] = .date(since, known: memberBits)
    }

    mutating func applyDirective(_ d: SandboxDirective, row r: Int, state s: inout MerchantPolicyState) {
        switch d.action {
        case .remove:
            let hold = d.holdDays ?? pack.roster.regulatorRemovalHoldDays
            let wasMember = s.member
            s.member = false
            s.holdUntilDay = today + hold
            s.eligibleSince = nil
            s.source = "regulator"
            outcome.rosterDecisions.append(RosterDecision(
                row: r, merchantID: merchantID(r), decision: .removed, source: "regulator", criteria: [], directiveID: d.id,
                memberSince: wasMember ? s.memberSince : nil, readmitAfterDays: hold, readmitNotBefore: today + hold,
                reason: d.reason))
            s.memberSince = nil
        case .admit:
            guard !s.member else { return }
            s.member = true
            s.memberSince = today
            s.holdUntilDay = nil
            s.source = "regulator"
            outcome.rosterDecisions.append(RosterDecision(
                row: r, merchantID: merchantID(r), decision: .admitted, source: "regulator", criteria: [], directiveID: d.id,
                memberSince: today, readmitAfterDays: nil, readmitNotBefore: nil, reason: d.reason))
        case .decidedMember, .decidedNotMember:
            return  // runRoster applies these to `excludedByRegulator`
        }
    }
}
