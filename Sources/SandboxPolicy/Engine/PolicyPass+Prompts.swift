import SandboxCore

/// Stage 4: prompts of the catalogue (docs/policy.md §7), at most once per merchant per window;
/// an episode ends only when the condition is found false.
extension PolicyPass {
    mutating func runPrompts() {
        let evaluator = ConditionEvaluator(facts: facts)
        let todayDate = CivilDate(dayNumber: today)
        for prompt in pack.prompts {
            let truth = evaluator.truth(prompt.when)
            let requested = promptRequests[prompt.id] ?? [:]
            var window: (key: String, from: Int?, to: Int?)?
            switch prompt.window {
            case .annual(let fm, let fd, let tm, let td):
                let from = CivilDate(year: todayDate.year, month: fm, day: fd)!.dayNumber
                let to = CivilDate(year: todayDate.year, month: tm, day: min(td, CivilDate.daysIn(month: tm, year: todayDate.year)))!.dayNumber
                if today >= from && today <= to { window = ("Y\(todayDate.year)", from, to) }
            case .episode: window = ("E" + todayDate.description, nil, nil)
            case .rolling(let days): window = ("R" + todayDate.description, today, today + days - 1)
            }
            let entries = input.ledger.entries(promptID: prompt.id)
            // The rows whose condition holds come in order; a trigger's requests are added to them.
            var candidates = truth.value.indexes
            if !requested.isEmpty { candidates = Set(candidates).union(requested.keys).sorted() }
            for r in candidates where appliesTo(r) {
                guard let w = window else { break }
                let ledger = entries[merchantID(r)] ?? PromptLedgerState()
                switch prompt.window {
                case .annual: if ledger.windowKeys.contains(w.key) { continue }
                case .episode: if ledger.episodeOpen { continue }
                case .rolling(let days): if let last = ledger.lastIssueDay, today - last < days { continue }
                }
                outcome.prompts.append(PromptIssue(
                    row: r, merchantID: merchantID(r), promptID: prompt.id, windowKey: w.key, windowFrom: w.from, windowTo: w.to,
                    cause: requested[r], instructionID: nextInstructionID(.prompt), episode: prompt.window == .episode))
                if outcome.prompts.count >= blockRows {
                    // Prompts alone: the episodes ended are sorted and handed over at the end.
                    var part = PolicyOutcome()
                    swap(&part.prompts, &outcome.prompts)
                    hand(part)
                }
            }
            if prompt.window == .episode {
                for (merchant, ledger) in entries where ledger.episodeOpen {
                    guard let r = rowOf[merchant], truth.known[r], !truth.value[r], requested[r] == nil else { continue }
                    outcome.episodesEnded.append((merchant, prompt.id))
                }
            }
        }
        outcome.episodesEnded.sort { ($0.merchantID, $0.promptID) < ($1.merchantID, $1.promptID) }
    }
}
