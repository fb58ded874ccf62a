import PostgresNIO

/// A statement PostgreSQL refused, said plainly: the server's message, its SQLSTATE and the
/// statement's text — never the bound values, which can be a password hash or a session digest.
/// (PostgresNIO's own error prints a generic line on purpose, for the same reason.)
struct PostgresQueryError: Error, CustomStringConvertible {
    let message: String
    let sqlState: String?
    let sql: String

    init(_ error: any Error, sql: String) {
        self.sql = sql
        if let psql = error as? PSQLError {
            let server = psql.serverInfo
            var text = server?[.message] ?? "\(psql.code)"
            if let detail = server?[.detail] { text += " (\(detail))" }
            message = text
            sqlState = server?[.sqlState]
        } else {
            message = "\(error)"
            sqlState = nil
        }
    }

    var description: String {
        "PostgreSQL: \(message)\(sqlState.map { " [SQLSTATE \($0)]" } ?? "") in: \(sql.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " "))"
    }
}
