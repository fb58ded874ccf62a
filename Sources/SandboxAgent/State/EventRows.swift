import SandboxStorage

/// The events table as the policy's second thread reads it (`EventScan`), on a read-only
/// connection of its own while the pipeline's connection reads the other tables
/// (docs/policy.md §13.1: two cores).
struct EventRows {
    private let db: Database

    init(path: String) throws {
        db = try Database(path: path, busyTimeoutMilliseconds: 60_000, readOnly: true)
    }

    /// Every event in merchant order, from the covering index (a merchant's id is met in one run,
    /// so it is looked up once, not per event): merchant id, event type, severity, occurred at.
    func scanByMerchant(_ row: (Statement) throws -> Void) throws {
        let s = try db.prepareUncached("""
            SELECT platform_merchant_id, event_type, severity, occurred_at FROM events INDEXED BY events_by_merchant
            ORDER BY platform_merchant_id
            """)
        while try s.step() { try row(s) }
    }

    /// The events that occurred at `start` (unix seconds) or later, by merchant and time (the
    /// index holds the time: only these rows are read): merchant id, occurred at, event type,
    /// severity, event id, description.
    func scanRecent(from start: Int64, _ row: (Statement) throws -> Void) throws {
        let s = try db.prepareUncached("""
            SELECT platform_merchant_id, occurred_at, event_type, severity, event_id, description FROM events
            INDEXED BY events_by_merchant
            WHERE occurred_at >= ? ORDER BY platform_merchant_id, occurred_at, event_type, severity
            """)
        try s.bind(all: start)
        while try s.step() { try row(s) }
    }
}
