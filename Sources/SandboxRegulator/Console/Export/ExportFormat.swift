import Hummingbird

/// The forms a console list downloads in (`?format=csv|xlsx`, the page's filters kept): CSV for
/// any tool, XLSX for Excel, where staff live.
enum ExportFormat: String, CaseIterable {
    case csv, xlsx

    /// The format asked for; nil for the page itself (`format` absent or `html`).
    static func asked(_ request: Request) throws -> ExportFormat? {
        guard let text = request.uri.queryParameters.get("format"), text != "html" else { return nil }
        guard let format = ExportFormat(rawValue: text) else {
            throw APIError(.badRequest, "format must be html, csv or xlsx, got \(text)")
        }
        return format
    }

    func response(headers: [String], rows: [[String]], name: String) -> Response {
        switch self {
        case .csv: return CSVExport(headers: headers, rows: rows).response(name: name)
        case .xlsx: return XLSXExport(headers: headers, rows: rows).response(name: name)
        }
    }

    /// Links to the same list in each format: the page's own query with `format=…`.
    static func links(_ request: Request, _ c: ConsoleRequestState) -> HTML {
        let base = ConsoleQuery.base(request, dropping: ["format"])
        return """
            <p class="export">\(c.t(.export)): <a href="\(base)format=csv" download>CSV</a> \
            <a href="\(base)format=xlsx" download>Excel (XLSX)</a></p>
            """
    }
}
