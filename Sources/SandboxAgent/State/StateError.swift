/// A problem with the agent's state that is not SQLite's own (those are `SQLiteError`).
public enum StateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A stored value this agent cannot read: the database was written by another version or edited.
    case unreadable(String, found: String)
    /// The same finding code twice in one merchant's findings: the verifier must merge them.
    case duplicateFindingCode(merchantID: String, code: String)
    /// An outbox kind that cannot start a file name.
    case invalidOutboxKind(String)

    public var description: String {
        switch self {
        case .unreadable(let what, let found):
            return "state database: \(what) holds '\(found)', which this agent cannot read; "
                + "was the database written by a newer agent or edited by hand? Restore a backup or move it aside"
        case .duplicateFindingCode(let merchantID, let code):
            return "findings for merchant \(merchantID) list code \(code) twice; a merchant has at most one finding per code"
        case .invalidOutboxKind(let kind):
            return "outbox kind '\(kind)' must be lowercase letters, digits or '_' (e.g. guidance, rejects)"
        }
    }
}
