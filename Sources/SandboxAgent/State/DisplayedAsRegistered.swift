import SandboxStorage

/// A storefront's displayed name, code or address stored once when it is the registered one.
///
/// Nearly every storefront shows what it registered: in the benchmark's 469,000 merchants the
/// displayed name, code and address equal the registered ones 453,379, 443,866 and 453,209 times,
/// 46 MB of the merchants table's 162 MB stored a second time. Such a displayed value is stored as
/// an empty blob, "as registered", which no text is (an empty text stays a text), so nothing a
/// platform exports can be taken for it; reading puts the registered value back in SQL
/// (`valueSQL`), so every reader of `merchants` sees the values as exported. Rows written before
/// keep their second copy and read the same; schema v18 keeps older agents, which would take the
/// blob for the displayed value, off a state that has such rows. The table a first ingest writes,
/// checkpoints and indexes is smaller by that much (issue 16, session 42).
enum DisplayedAsRegistered {
    /// Each displayed column and the registered column it repeats.
    static let registeredColumn: [String: String] = [
        "displayed_name": "registered_name", "displayed_uscc": "uscc", "displayed_address": "registered_address",
    ]

    /// What a query selects for the merchants column `column`: the column itself, or for a
    /// displayed one the registered value where the row stores "as registered". `table`: the
    /// query's name for the merchants table ("m"), when it has one.
    static func valueSQL(_ column: String, table: String? = nil) -> String {
        let prefix = table.map { $0 + "." } ?? ""
        guard let registered = registeredColumn[column] else { return prefix + column }
        return "CASE WHEN typeof(\(prefix)\(column)) = 'blob' THEN \(prefix)\(registered) ELSE \(prefix)\(column) END"
    }

    /// Binds a displayed value at `index`: "as registered" when it equals the registered one.
    static func bind(_ index: Int32, _ displayed: String?, registered: String?, to s: Statement) throws {
        if let displayed, displayed == registered {
            try s.bind(index, [UInt8]())  // an empty blob
        } else {
            try s.bind(index, displayed)
        }
    }
}
