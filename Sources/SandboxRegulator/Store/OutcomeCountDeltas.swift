/// Changes to `outcome_counts` gathered in memory — one intake batch's, or the migration's
/// backfill — so each key that changed is written once (RecordWriter.addOutcomeCounts), however
/// many of the batch's records count on it.
struct OutcomeCountDeltas {
    private(set) var byKey: [OutcomeCountKey: Int] = [:]

    /// Adds what a record counts (`sign` 1), or takes away what a replaced version counted (−1).
    mutating func add(type: String, uscc: String?, data: String, sign: Int) {
        for key in OutcomeContribution.keys(type: type, uscc: uscc, data: data) { byKey[key, default: 0] += sign }
    }

    /// The keys whose count changes, in key order (OutcomeCountKey: the lock order).
    var changes: [(key: OutcomeCountKey, delta: Int)] {
        byKey.filter { $0.value != 0 }.sorted { $0.key < $1.key }.map { (key: $0.key, delta: $0.value) }
    }
}
