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

    /// A page that is this list alone: the download when one is asked (`?format=`), else the
    /// title, the export links and the table.
    func page(_ request: Request, _ context: RegulatorRequestContext, title: String, path: String) throws -> Response {
        if let format = try ExportFormat.asked(request) { return download(format) }
        let c = context.console
        let body: HTML = """
            <h1>\(title)</h1>
            \(ExportFormat.links(request, c))
            \(html(c))
            """
        return ConsolePage.render(title: title, body, context: context, path: path)
    }

    /// How many rows a page shows, and a download holds at most, of a list read by the page.
    static func limit(_ format: ExportFormat?, page: Int) -> Int { format == nil ? page : 10_000 }
}
