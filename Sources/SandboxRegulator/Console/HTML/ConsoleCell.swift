/// One cell of a console list: the text a download carries (CSV, XLSX) and how the page shows it
/// — plain, as a link to the thing it names, or emphasised. One value serves both, so an export
/// says exactly what the page said.
struct ConsoleCell: ExpressibleByStringLiteral {
    var text: String
    /// A console path (built by the page from codes and ids, never from a merchant's text alone).
    var href: String?
    var emphasis = false

    init(_ text: String, href: String? = nil, emphasis: Bool = false) {
        self.text = text; self.href = href; self.emphasis = emphasis
    }

    init(stringLiteral text: String) { self.init(text) }

    /// A USCC that links to the enterprise's file (一户一档); nothing when absent.
    static func enterprise(_ uscc: String?) -> ConsoleCell {
        ConsoleCell(uscc ?? "", href: uscc.map { "/console/enterprises/\($0)" })
    }

    var html: HTML {
        let shown: HTML = emphasis ? "<strong>\(text)</strong>" : "\(text)"
        guard let href, !text.isEmpty else { return shown }
        return "<a href=\"\(href)\">\(shown)</a>"
    }
}
