/// A table of a console page: a caption, header cells and rows, or the "none yet" line when there
/// are no rows (an empty table says nothing to a reader of a screen reader).
struct ConsoleTable {
    var caption: String
    var headers: [String]
    var rows: [[HTML]]

    func html(_ c: ConsoleRequestState) -> HTML {
        guard !rows.isEmpty else { return "<p class=\"none\">\(c.t(.nothingYet))</p>" }
        let head = HTML(joining: headers.map { "<th scope=\"col\">\($0)</th>" })
        let body = HTML(joining: rows.map { row in "<tr>\(HTML(joining: row.map { "<td>\($0)</td>" }))</tr>\n" })
        return """
            <table>
            <caption class="visually-hidden">\(caption)</caption>
            <thead><tr>\(head)</tr></thead>
            <tbody>
            \(body)</tbody>
            </table>
            """
    }
}
