import CSQLite

/// A failed SQLite call: the result code, SQLite's message, the SQL that ran, and what to do.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The extended result code (e.g. 13 `SQLITE_FULL`, 5 `SQLITE_BUSY`, 2067 `SQLITE_CONSTRAINT_UNIQUE`).
    public var code: Int32
    /// SQLite's own message, e.g. "database or disk is full".
    public var message: String
    /// The statement that failed, or what was being done ("open /var/lib/sandbox/state.db").
    public var sql: String

    public init(code: Int32, message: String, sql: String) {
        self.code = code; self.message = message; self.sql = sql
    }

    /// The primary result code (the low byte of the extended code).
    public var primaryCode: Int32 { code & 0xff }

    /// `SQLITE_FULL`: the disk (or `max_page_count`) is exhausted; nothing of the failed
    /// statement's transaction was kept.
    public var isDiskFull: Bool { primaryCode == SQLITE_FULL }

    /// `SQLITE_BUSY` / `SQLITE_LOCKED`: another connection held the lock past `busy_timeout`.
    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }

    /// A constraint (UNIQUE, NOT NULL, CHECK, FOREIGN KEY) refused the change.
    /// The disk or file system failed a read or write (SQLITE_IOERR, SQLITE_CANTOPEN).
    public var isIOError: Bool { primaryCode == SQLITE_IOERR || primaryCode == SQLITE_CANTOPEN }
    public var isConstraint: Bool { primaryCode == SQLITE_CONSTRAINT }

    /// What an operator can do about it, when the code tells.
    public var hint: String? {
        switch primaryCode {
        case SQLITE_FULL:
            // No "restart": the agent retries by itself, and a one-off command is simply run again.
            return "free space on the volume holding the database; the change was rolled back, no accepted data was lost"
        case SQLITE_BUSY, SQLITE_LOCKED:
            return "another process holds the database lock; make sure only one agent uses this state directory"
        case SQLITE_READONLY, SQLITE_PERM:
            return "the database file or its directory is not writable by this user; check ownership and mode"
        case SQLITE_CANTOPEN:
            return "check that the state directory exists and is writable"
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            return "the database file is damaged or not a database; restore it from backup or move it aside"
        case SQLITE_IOERR:
            return "the disk reported an I/O error; check the system log and the disk's health"
        default:
            return nil
        }
    }

    public var description: String {
        var text = "SQLite error \(code) (\(message)) while running: \(sql)"
        if let hint { text += " — \(hint)" }
        return text
    }

    /// The error SQLite last recorded on a connection.
    static func last(_ db: OpaquePointer?, code: Int32, sql: String) -> SQLiteError {
        let message = db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(code))
        return SQLiteError(code: code, message: message, sql: sql)
    }
}
