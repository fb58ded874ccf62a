import SandboxCore

/// Policy items of the current transaction level not yet in `policy_items`, written a batch at a
/// time by one multi-row upsert (`AgentState.storePolicyItem`).
///
/// A pass writes its items in key order (each kind by merchant id, instruction or case number),
/// so each lands next to the one before; what a statement of one row spent was mostly the
/// statement's own round: opening its cursor and descending the table from its root, checking the
/// conflict, halting. One statement of `rows` items keeps its cursor where the last one went in.
/// Measured with Python's sqlite3 on a first pass's 1,014,313 items in key order (issue 16,
/// session 37): 2.23 s of CPU one row a statement, 1.22–1.63 s thirty-two.
///
/// What is pending is written before anything reads the table on this connection, before a
/// savepoint starts (so that its rollback cannot take the enclosing level's items with it), and
/// before the level commits; dropped when the level rolls back.
final class PolicyItemBatch {
    struct Item {
        var type: FeedType, key: String, uscc: String?, data: [UInt8], packVersion: String, packSerial: Int
    }
    /// Items a statement writes.
    static let rows = 32
    var items: [Item] = []

    init() { items.reserveCapacity(Self.rows) }

    func clear() { items.removeAll(keepingCapacity: true) }

    /// The upsert of `rows` items; a later row of the same key updates an earlier one, as separate
    /// statements would.
    static func upsertSQL(rows: Int) -> String {
        """
        INSERT INTO policy_items (type, key, uscc, data, pack_version, pack_serial) VALUES \
        \((0..<rows).map { _ in "(?, ?, ?, ?, ?, ?)" }.joined(separator: ", "))
        ON CONFLICT (type, key) DO UPDATE SET uscc = excluded.uscc, data = excluded.data,
          pack_version = excluded.pack_version, pack_serial = excluded.pack_serial
        """
    }
}
