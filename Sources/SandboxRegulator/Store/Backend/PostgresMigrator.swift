import SandboxStorage

/// Applies PostgresSchema's steps once, whichever node starts first. A session-level advisory
/// lock serialises nodes that start together: the second waits, then finds the steps applied.
enum PostgresMigrator {
    /// The advisory lock's key: any fixed number no other program on the database uses.
    static let lockKey: Int64 = 0x5344_424F_5853_3031  // "SDBOXS01"

    static func migrate(_ database: any SQLSession) throws {
        try database.execute("SELECT pg_advisory_lock(\(lockKey))")
        defer { try? database.execute("SELECT pg_advisory_unlock(\(lockKey))") }
        try database.execute("CREATE TABLE IF NOT EXISTS regulator_schema (version BIGINT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
        let current = Int(try database.int64("SELECT COALESCE(MAX(version), 0) FROM regulator_schema") ?? 0)
        let steps = PostgresSchema.steps
        guard current <= steps.count else {
            throw StoreLocationError("the database's schema is at version \(current) but this program knows only up to \(steps.count); run the newer regulator on every node")
        }
        for version in current..<steps.count {
            try database.transaction {
                for statement in steps[version] { try database.execute(statement) }
                // The step's Swift part, in its transaction: the counts of the records already stored.
                if version + 1 == PostgresSchema.outcomeFiguresVersion { try OutcomeCountsBackfill.run(database) }
                try database.execute("INSERT INTO regulator_schema (version) VALUES (\(version + 1))")
            }
        }
    }
}
