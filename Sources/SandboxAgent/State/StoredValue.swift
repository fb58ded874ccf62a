import SandboxCore
import SandboxStorage

/// The domain values the state stores as they are, so a statement binds them in one call with
/// the rest (`bind(all:)`): coded values by their English raw value, dates as `YYYY-MM-DD` (see
/// StateSchema for the choices; `StatementCoding` reads them back).
protocol StoredByRawValue: SQLBindable, RawRepresentable where RawValue == String {}

extension StoredByRawValue {
    public func bind(to s: some SQLStatement, at i: Int32) throws { try s.bind(i, rawValue) }
    public static func bindNone(to s: some SQLStatement, at i: Int32) throws { try s.bindNull(i) }
}

extension EntityType: StoredByRawValue {}
extension JournalEntry.Outcome: StoredByRawValue {}
extension EventSeverity: StoredByRawValue {}
extension EventType: StoredByRawValue {}
extension ExportKind: StoredByRawValue {}
extension FindingSeverity: StoredByRawValue {}
extension LicenceType: StoredByRawValue {}
extension ReceiptAction: StoredByRawValue {}
extension RegistrationStatus: StoredByRawValue {}
extension StorefrontStatus: StoredByRawValue {}

extension CivilDate: SQLBindable {
    /// On SQLite's `Statement` (the only engine the agent has) formatted on the stack, as the
    /// numbered `bind(_:_:)` of StatementCoding does; on another engine as text.
    public func bind(to s: some SQLStatement, at i: Int32) throws {
        if let statement = s as? Statement { try statement.bind(i, self) } else { try s.bind(i, description) }
    }

    public static func bindNone(to s: some SQLStatement, at i: Int32) throws { try s.bindNull(i) }
}
