/// The facts of one thing (a recommendation, an enterprise's standing), as a definition list:
/// a label and its value per line, a screen reader reads them in pairs.
struct ConsoleFacts {
    struct Fact {
        var label: String
        var value: HTML
        /// For a value a test or the browser script reads (`<dd id=…>`).
        var id: String?
    }
    var facts: [Fact]

    init(_ facts: [Fact]) { self.facts = facts }

    var html: HTML {
        let lines = facts.map { f -> HTML in
            let id: HTML = f.id.map { " id=\"\($0)\"" } ?? .empty
            return "<dt>\(f.label)</dt><dd\(id)>\(f.value)</dd>\n"
        }
        return "<dl class=\"facts\">\n\(HTML(joining: lines))</dl>"
    }
}

extension ConsoleFacts.Fact {
    init(_ label: String, _ value: HTML, id: String? = nil) { self.init(label: label, value: value, id: id) }
    init(_ label: String, text: String?, id: String? = nil) { self.init(label: label, value: "\(text ?? "")", id: id) }
}
