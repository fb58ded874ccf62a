import SandboxStorage

/// Fills `outcome_counts` from the records already stored, in the transaction of the schema step
/// that made the table (both engines: SQLiteBackend, PostgresMigrator). Every prompt, case and
/// instruction is counted by the intake's own rules (OutcomeContribution), so the counts are those
/// the intake would have kept had it always kept them, and `julianday` is read one way (SQLiteTime)
/// whichever engine stores the records.
enum OutcomeCountsBackfill {
    /// Records per read: PostgreSQL's session holds a query's whole answer in memory.
    static let page = 5_000

    /// Pages by the record's key (`records_key`), not by `id`: PostgreSQL's records have none
    /// since PostgresSchema.recordsIndexes, and a test that rewinds to this step runs it there.
    static func run(_ database: any SQLSession) throws {
        var counts = OutcomeCountDeltas()
        let read = try database.prepare("""
            SELECT platform_id, type, key, uscc, data FROM records
            WHERE (platform_id, type, key) > (?1, ?2, ?3) AND type IN ('prompt', 'case', 'instruction')
            ORDER BY platform_id, type, key LIMIT ?4
            """)
        var after = ("", "", "")
        while true {
            try read.bind(all: after.0, after.1, after.2, page)
            var rows = 0
            while try read.step() {
                rows += 1
                after = (read.string(0) ?? "", read.string(1) ?? "", read.string(2) ?? "")
                counts.add(type: read.string(1) ?? "", uscc: read.string(3), data: read.string(4) ?? "", sign: 1)
            }
            read.reset()
            if rows < page { break }
        }
        try StoreSession.recordWriter(for: database).addOutcomeCounts(counts.changes)
    }
}
