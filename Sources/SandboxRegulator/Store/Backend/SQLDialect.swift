import SandboxStorage

/// The few spellings the two engines do not share. The store's SQL is otherwise the same text
/// on both: PostgreSQL gets `json_extract` and `julianday` as SQL functions (PostgresSchema), so
/// only what no function can bridge is here.
struct SQLDialect: Sendable {
    /// A JSON boolean read by `json_extract`, as that engine returns it (SQLite 1, PostgreSQL 'true').
    let jsonTrue: String
    /// Run inside a transaction before it takes a cursor (directives, the registry): cursors must
    /// become visible in their order, or a reader past cursor 11 would never see a 10 that
    /// committed after it. SQLite has one writer, so nothing; PostgreSQL takes a transaction lock
    /// every node's writer of cursors waits on (they are few: directives and registry changes).
    let cursorLock: String?

    /// Run in the transaction that writes a directive, to wake the long polls of every node when
    /// it commits (PostgreSQL's NOTIFY; SQLite's one process rings its bell itself).
    let directiveNotice: String?

    static let sqlite = SQLDialect(jsonTrue: "1", cursorLock: nil, directiveNotice: nil)
    static let postgres = SQLDialect(jsonTrue: "'true'", cursorLock: "SELECT pg_advisory_xact_lock(\(0x5344_424F_5843_5552))",
                                     directiveNotice: "NOTIFY \(PostgresDirectiveListener.channel)")

    func serializeCursors(_ database: any SQLSession) throws {
        if let cursorLock { try database.execute(cursorLock) }
    }
}
