import Foundation
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

    /// Seconds an append-only log read by id (case_history) is held back before an export hands
    /// it out. Its ids are taken when rows are inserted, not when they commit: on PostgreSQL an
    /// intake transaction that took id 10 may commit after one that took 11, and a reader that
    /// moved past 11 would never see 10. Rows younger than this are not handed out yet, nor any
    /// after the first of them — so a transaction that commits within it is never skipped. SQLite
    /// commits one writer at a time, in id order.
    let commitOrderSlackSeconds: Int64

    /// The elements of a JSON array bound at `?N`, as a row source with one text column `value`
    /// (a string element as its text, an object as its JSON text for `json_extract`): a set of
    /// USCCs or rows passed in one parameter, so a set costs one statement, not one per element.
    private let jsonElements: String

    /// The objects of a JSON array bound at `?N` (rows a statement writes), as a row source
    /// with one column `value` that `json_extract(value, '$.field')` reads. On PostgreSQL the
    /// array is parsed once and each `value` is already `jsonb` (the `json_extract` overload of
    /// PostgresSchema.jsonbRows): as text, every `json_extract` of a row parsed its object again
    /// — eight parses per row of the kept roster (measured in docs/benchmarks.md, issue 15).
    private let jsonObjects: String

    static let sqlite = SQLDialect(jsonTrue: "1", cursorLock: nil, directiveNotice: nil, commitOrderSlackSeconds: 0,
                                   jsonElements: "(SELECT value FROM json_each(?#))",
                                   jsonObjects: "(SELECT value FROM json_each(?#))")
    static let postgres = SQLDialect(jsonTrue: "'true'", cursorLock: "SELECT pg_advisory_xact_lock(\(0x5344_424F_5843_5552))",
                                     directiveNotice: "NOTIFY \(PostgresDirectiveListener.channel)", commitOrderSlackSeconds: 60,
                                     jsonElements: "(SELECT json_array_elements_text(CAST(?# AS json)) AS value)",
                                     jsonObjects: "(SELECT jsonb_array_elements(CAST(?# AS jsonb)) AS value)")

    /// `jsonElements` for the parameter `?N`.
    func jsonElements(_ parameter: Int) -> String {
        jsonElements.replacingOccurrences(of: "?#", with: "?\(parameter)")
    }

    /// `jsonObjects` for the parameter `?N`.
    func jsonObjects(_ parameter: Int) -> String {
        jsonObjects.replacingOccurrences(of: "?#", with: "?\(parameter)")
    }

    func serializeCursors(_ database: any SQLSession) throws {
        if let cursorLock { try database.execute(cursorLock) }
    }
}
