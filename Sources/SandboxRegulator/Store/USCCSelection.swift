import SandboxCore
import SandboxWire

/// The enterprises a roster read covers: every one, one, or a set — the roster keeper's turn,
/// read with one statement per input for the whole set rather than one per enterprise (on
/// PostgreSQL each statement is a round trip; the keeper made about ten per enterprise).
enum USCCSelection {
    case all
    case one(String)
    case some([String])

    /// The value bound for `StoreSession.condition`: nothing (all), the USCC, or the set as a
    /// JSON array (SQLDialect.jsonElements).
    var parameter: String? {
        switch self {
        case .all: nil
        case .one(let uscc): uscc
        case .some(let usccs): JSONValue.array(usccs.map(JSONValue.string)).jsonText
        }
    }
}

extension StoreSession {
    /// The condition "filed under the selection" on `column`, with the selection's `parameter`
    /// bound at `?N`. One or a set reads the USCC index; `?N IS NULL` (all) reads everything.
    func condition(_ column: String, _ selection: USCCSelection, _ parameter: Int) -> String {
        switch selection {
        case .all: "?\(parameter) IS NULL"
        case .one: "\(column) = ?\(parameter)"
        case .some: "\(column) IN \(dialect.jsonElements(parameter))"
        }
    }
}
