import SandboxStorage

/// Rows of one upsert of the current transaction level not yet in their table, written a batch
/// at a time by one statement of `rowsPerStatement` rows (`AgentState.storePolicyItem`).
///
/// A pass writes its items in key order (by merchant id, instruction or case number), so each
/// row lands next to the one before; what a statement of one row spent
/// was mostly the statement's own round: opening its cursor and descending the table from its
/// root, checking the conflict, halting. One statement of many rows keeps its cursor where the last
/// one went in. Measured with Python's sqlite3 (issue 16, session 37), one row a statement against
/// thirty-two: a first pass's 1,014,313 items in key order 2.23 s of CPU against 1.22–1.63 s. In
/// the agent the writer's instructions fell by 8 % (a first pass's miniature of 60,000 merchants,
/// `scripts/bench-instructions`). Its 469,000 standings (`merchant_policy`) measured 0.95 against
/// 0.69 s in Python, but nothing in the agent's instructions while its binds went through an
/// unspecialised parameter pack; since those are specialised (session 40) a batch of standings
/// takes 31 % fewer instructions than its rows one by one (session 41), and they are batched too.
/// Merchants of an export, in random key order, gain nothing: their B-tree descents are the cost.
///
/// What is pending is written before anything reads the table on this connection, before a
/// savepoint starts (so that its rollback cannot take the enclosing level's rows with it), and
/// before the level commits; dropped when the level rolls back. Within a statement a later row of
/// the same key updates an earlier one, as separate statements would.
final class UpsertBatch<Row> {
    /// Rows a full batch's statement writes.
    static var rowsPerStatement: Int { 32 }
    /// The upsert of one row, and of a full batch.
    let oneSQL: String, batchSQL: String
    /// Binds a row's values from the given parameter number on.
    private let bindRow: (Row, Statement, Int32) throws -> Void
    private let columns: Int32
    private(set) var pending: [Row] = []

    /// `sql(values)`: the upsert whose rows are `values` (`(?, …), (?, …)…`, `columns` parameters a
    /// row), made for one row and for a full batch.
    init(columns: Int, sql: (String) -> String, bind: @escaping (Row, Statement, Int32) throws -> Void) {
        self.columns = Int32(columns)
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        oneSQL = sql(row)
        batchSQL = sql(Array(repeating: row, count: Self.rowsPerStatement).joined(separator: ", "))
        bindRow = bind
        pending.reserveCapacity(Self.rowsPerStatement)
    }

    func clear() { pending.removeAll(keepingCapacity: true) }

    /// Adds a row; writes the batch when it is full, or at once outside a transaction.
    func add(_ row: Row, to database: Database) throws {
        pending.append(row)
        if pending.count >= Self.rowsPerStatement || !database.isInTransaction { try flush(to: database) }
    }

    /// Writes the rows waiting: a full batch by one statement, fewer one by one. They are let go
    /// whether or not the writes succeed (a failure rolls the level back), and bound from the
    /// batch itself: taking a copy first and clearing the batch made the clear allocate a new
    /// buffer at every flush.
    func flush(to database: Database) throws {
        guard !pending.isEmpty else { return }
        defer { clear() }
        let perStatement = pending.count == Self.rowsPerStatement ? pending.count : 1
        let s = try database.prepare(perStatement == 1 ? oneSQL : batchSQL)
        for start in stride(from: 0, to: pending.count, by: perStatement) {
            defer { s.reset() }
            for n in 0..<perStatement { try bindRow(pending[start + n], s, Int32(n) * columns + 1) }
            try s.step()
        }
    }
}
