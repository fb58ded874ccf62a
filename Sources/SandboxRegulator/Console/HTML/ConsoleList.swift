import Hummingbird

/// A list of a console page that also downloads as CSV or XLSX with the page's filters (the
/// handler reads the list once with them, then either shows it or sends it): the same headers
/// and cells for both.
struct ConsoleList {
    var caption: String
    var headers: [String]
    var rows: [[ConsoleCell]]
    /// The download's file name without extension (ASCII: it goes into a header).
    var name: String

    func html(_ c: ConsoleRequestState) -> HTML {
        ConsoleTable(caption: caption, headers: headers, rows: rows.map { $0.map(\.html) }).html(c)
    }

    func download(_ format: ExportFormat) -> Response {
        format.response(headers: headers, rows: rows.map { $0.map(\.text) }, name: name)
    }

    /// How many rows a page shows, and a download holds at most, of a list read by the page.
    static func limit(_ format: ExportFormat?, page: Int) -> Int { format == nil ? page : 10_000 }
}
