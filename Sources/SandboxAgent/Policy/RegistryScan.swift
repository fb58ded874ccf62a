import Foundation
import SandboxPolicy

/// The registry as a pass reads it, on a thread of its own (`SideLoad`) with its own read-only
/// connection while the loader's thread reads the merchants (docs/policy.md §13.1: two cores): its
/// entries' columns in table order and a USCC → entry table, which the loader joins to the
/// merchants. Read after the merchants on the loader's thread, it was the longest part of the load
/// that one core did alone once the events' thread had finished (issue 16, session 41).
struct RegistryScan {
    /// USCC bytes → the entry's row in `columns`.
    let entry: ByteKeyTable
    let columns: [(field: ConditionField, column: FactColumn)]

    /// Starts reading `path`'s registry on a thread of its own, each of `fields` into a column of
    /// its kind.
    static func start(path: String, fields: [(ConditionField, ColumnBuilder.Kind)]) -> SideLoad<RegistryScan> {
        SideLoad("policy-registry") { try RegistryScan(path: path, fields: fields) }
    }

    private init(path: String, fields: [(ConditionField, ColumnBuilder.Kind)]) throws {
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
        // One builder at a time freed once its column is made.
        var columns: [(field: ConditionField, column: FactColumn)] = []
        while let b = builders.popLast() { columns.append((b.field, b.column())) }
        (self.entry, self.columns) = (entry, columns)
    }
}
