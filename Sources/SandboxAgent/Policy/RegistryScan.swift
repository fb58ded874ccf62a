import Foundation
import SandboxPolicy

/// The registry read on a thread of its own, with its own read-only connection, while the
/// pipeline's connection reads the merchants (docs/policy.md §13.1: two cores): its entries'
/// columns in table order and a USCC → entry table, which the loader joins to the merchants.
/// Read after the merchants on the loader's thread, it was the longest part of the load that one
/// core did alone once the events' thread had finished (issue 16, session 41).
final class RegistryScan: @unchecked Sendable {
    /// USCC bytes → the entry's row in `columns`.
    private(set) var entry = ByteKeyTable(capacity: 0)
    private(set) var columns: [(field: ConditionField, column: FactColumn)] = []
    private var failure: Error?
    private let done = DispatchSemaphore(value: 0)

    /// Starts reading `path`'s registry, each of `fields` into a column of its kind; `wait()`
    /// returns when done.
    init(path: String, fields: [(ConditionField, ColumnBuilder.Kind)]) {
        let thread = Thread { [self] in
            do { try scan(path: path, fields: fields) } catch { failure = error }
            done.signal()
        }
        thread.name = "policy-registry"
        thread.start()
    }

    func wait() throws {
        done.wait()
        if let failure { throw failure }
    }

    private func scan(path: String, fields: [(ConditionField, ColumnBuilder.Kind)]) throws {
        let reads = try PolicySideReads(path: path)
        let entries = try reads.registryRowsBound()
        var builders = fields.map { ColumnBuilder($0.0, $0.1, rows: entries) }
        var entry = ByteKeyTable(capacity: entries, keyBytes: entries * 18)  // a USCC is 18 characters
        var n = 0
        try reads.scanRegistry(fields.map(\.0)) { rs in
            rs.withText(0) { if let u = $0 { entry.insert(u, value: n) } }
            for i in builders.indices { builders[i].append(rs, Int32(i + 1)) }
            n += 1
        }
        // Locals stored once (a class's properties are checked for exclusive access at each use);
        // one builder at a time freed once its column is made.
        var columns: [(field: ConditionField, column: FactColumn)] = []
        while let b = builders.popLast() { columns.append((b.field, b.column())) }
        (self.entry, self.columns) = (entry, columns)
    }
}
