/// What an import did.
public struct RegistryImportResult: Sendable, Equatable {
    /// Entries new or with changed content: each took a new cursor.
    public var changed = 0
    /// Entries identical to the stored ones: nothing written.
    public var unchanged = 0
    /// Rows that could not be read, with line and reason.
    public var rejected: [String] = []
}
