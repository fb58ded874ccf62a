import SandboxStorage

/// Fills `outcome_counts` from the records already stored, in the transaction of the schema step
/// that made the table (both engines: SQLiteBackend, PostgresMigrator). Every prompt, case and
/// instruction is counted by the intake's own rules (OutcomeContribution), so the counts are those
/// the intake would have kept had it always kept them, and `julianday` is read one way (SQLiteTime)
/// whichever engine stores the records.
enum OutcomeCountsBackfill {
    /// Records per read: PostgreSQL's session holds a query's whole answer in memory.
    static let page = 5_000

    static func run(_ database: any SQLSession) throws {
        var counts = OutcomeCountDeltas()
        let read = try database.prepare("""
            SELECT id, type, uscc, data FROM records
            WHERE id > ?1 AND type IN ('prompt', 'case', 'instruction') ORDER BY id LIMIT ?2
            """)
        var after: Int64 = 0
        while true {
            try read.bind(all: after, page)
            var rows = 0
            while try read.step() {
                rows += 1
                after = read.int64(0)
                counts.add(type: read.string(1) ?? "", uscc: read.string(2), data: read.string(3) ?? "", sign: 1)
            }
            read.reset()
            if rows < page { break }
        }
        try StoreSession.recordWriter(for: database).addOutcomeCounts(counts.changes)
    }
}
