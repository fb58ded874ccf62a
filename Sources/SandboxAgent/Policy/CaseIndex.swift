import SandboxPolicy

/// The watched cases' summaries in case id order, found by id with a binary search (the runner's
/// cases before a pass, and what the carry keeps for the next). Two dictionaries of 80,000
/// summaries were built for every pass, and a dictionary's order then had to be sorted again
/// for the engine, which walks the cases by id: together a tenth of a quiet day's pass (issue 16).
struct CaseIndex {
    /// Sorted by id; a closed case stays in place, marked.
    private var summaries: [CaseSummary]
    private var closed: [Bool]
    /// Cases not in the index it was made with (opened since), by id.
    private var added: [String: CaseSummary] = [:]

    /// Sorting is linear on summaries that come in order, as the state's and the carry's do.
    init(_ summaries: [CaseSummary]) {
        self.summaries = summaries.sorted { $0.id < $1.id }
        closed = [Bool](repeating: false, count: summaries.count)
    }

    private func position(_ id: String) -> Int? { summaries.index(ofSorted: id) { $0.id } }

    subscript(id: String) -> CaseSummary? {
        if let p = position(id) { return closed[p] ? nil : summaries[p] }
        return added[id]
    }

    /// A case's summary after a pass; nil when it is no longer watched.
    mutating func set(_ id: String, _ summary: CaseSummary?) {
        if let p = position(id) {
            closed[p] = summary == nil
            if let summary { summaries[p] = summary }
        } else {
            added[id] = summary
        }
    }

    /// The watched cases, by id.
    var list: [CaseSummary] {
        var out: [CaseSummary] = []
        out.reserveCapacity(summaries.count + added.count)
        for (s, gone) in zip(summaries, closed) where !gone { out.append(s) }
        if added.isEmpty { return out }
        out += added.values
        return out.sorted { $0.id < $1.id }
    }
}
