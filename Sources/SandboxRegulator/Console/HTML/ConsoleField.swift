/// The labelled inputs of the console's forms: every input has a `<label for>` (screen readers,
/// and the browser test checks it), ids unique on the page by the form's suffix.
enum ConsoleField {
    static func text(_ name: String, _ label: String, form: String, value: String? = nil, required: Bool = true,
                     type: String = "text") -> HTML {
        """
        <label for="\(name)-\(form)">\(label)</label>
        <input type="\(type)" id="\(name)-\(form)" name="\(name)"\(value.map { " value=\"\($0)\"" as HTML } ?? .empty)\(required ? " required" as HTML : .empty)>

        """
    }

    static func textarea(_ name: String, _ label: String, form: String, value: String? = nil, required: Bool = false,
                         rows: Int = 4) -> HTML {
        """
        <label for="\(name)-\(form)">\(label)</label>
        <textarea id="\(name)-\(form)" name="\(name)" rows="\(rows)"\(required ? " required" as HTML : .empty)>\(value ?? "")</textarea>

        """
    }

    /// A file to upload (the form must be `upload`); `accept` the kinds offered in the picker.
    static func file(_ name: String, _ label: String, form: String, accept: String) -> HTML {
        """
        <label for="\(name)-\(form)">\(label)</label>
        <input type="file" id="\(name)-\(form)" name="\(name)" accept="\(accept)">

        """
    }

    /// A drop-down of `options` (value, label) with `selected` chosen: the filters of a list.
    static func select(_ name: String, _ label: String, form: String, options: [(value: String, label: String)],
                       selected: String) -> HTML {
        let items = HTML(joining: options.map {
            "<option value=\"\($0.value)\"\($0.value == selected ? " selected" as HTML : .empty)>\($0.label)</option>"
        })
        return """
            <label for="\(name)-\(form)">\(label)</label>
            <select id="\(name)-\(form)" name="\(name)">\(items)</select>

            """
    }

    /// A choice among `options` (value, label, why it cannot be chosen or nil), as radio
    /// buttons in a fieldset; one that cannot be chosen is shown disabled with its reason.
    static func choice(_ name: String, legend: String, form: String,
                       options: [(value: String, label: String, unavailable: String?)]) -> HTML {
        let items = options.map { o -> HTML in
            let id = "\(name)-\(o.value)-\(form)"
            let why: HTML = o.unavailable.map { " <span class=\"why\">\($0)</span>" } ?? .empty
            return """
                <div class="option"><input type="radio" id="\(id)" name="\(name)" value="\(o.value)"\
                \(o.unavailable == nil ? " required" as HTML : " disabled")> <label for="\(id)" class="inline">\(o.label)</label>\(why)</div>

                """
        }
        return "<fieldset><legend>\(legend)</legend>\n\(HTML(joining: items))</fieldset>\n"
    }
}
