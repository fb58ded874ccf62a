import SandboxPolicy
import SandboxStorage

/// The tables a policy pass reads on threads of their own (`EventScan` and `RegistryScan`, each
/// made by a `SideLoad`), each thread on a read-only connection of its own while the pipeline's
/// connection reads merchants and findings (docs/policy.md §13.1: two cores). Nothing writes
/// meanwhile: the pass runs on the agent's only writer, which is loading.
struct PolicySideReads {
    private let db: Database

    init(path: String) throws {
        db = try Database(path: path, busyTimeoutMilliseconds: 60_000, readOnly: true)
    }

    /// Every event in merchant order, from the covering index (a merchant's id is met in one run,
    /// so it is looked up once, not per event): merchant id, event type, severity, occurred at,
    /// and for an event that occurred at `recentFrom` (unix seconds) or later its event id and
    /// description (the index lacks them: only those rows are read from the table, SQLite seeking
    /// a row only when a column of it is read). Ids ascend in byte order (the index's BINARY
    /// collation); a merchant's events by time, type and severity.
    func scanByMerchant(recentFrom start: Int64, _ row: (Statement) throws -> Void) throws {
        let s = try db.prepareUncached("""
            SELECT platform_merchant_id, event_type, severity, occurred_at,
                   CASE WHEN occurred_at >= ?1 THEN event_id END, CASE WHEN occurred_at >= ?1 THEN description END
            FROM events INDEXED BY events_by_merchant
            ORDER BY platform_merchant_id, occurred_at, event_type, severity
            """)
        try s.bind(all: start)
        while try s.step() { try row(s) }
    }

    /// At least as many as the registry's entries (`AgentState.rowsBound`).
    func registryRowsBound() throws -> Int {
        try AgentState.rowsBound(.registry, in: db)
    }

    /// Every registry entry in table order: column 0 its USCC, then one column per field of
    /// `fields` (each a key of `AgentState.policyRegistryColumns`).
    func scanRegistry(_ fields: [ConditionField], _ row: (Statement) throws -> Void) throws {
        let s = try db.prepareUncached(AgentState.registrySQL(fields))
        while try s.step() { try row(s) }
    }
}
