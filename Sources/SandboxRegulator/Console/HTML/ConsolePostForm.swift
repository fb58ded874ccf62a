/// A console form that changes something: POSTed to `action` with the session's form token
/// (ConsoleCSRFCheck refuses it without), its hidden fields, the visible ones and one button.
/// `confirm` makes the console's script ask before sending (the page works without it).
struct ConsolePostForm {
    var action: String
    /// The form's id (`form-…`) and its button's, for tests and the browser script.
    var id: String
    var title: String
    var hidden: [(name: String, value: String)] = []
    var fields: HTML = .empty
    var button: String
    var confirm: String?
    /// `multipart/form-data`, for a form that uploads a file.
    var upload = false

    func html(token: String) -> HTML {
        let ask: HTML = confirm.map { " data-confirm=\"\($0)\"" } ?? .empty
        let encoding: HTML = upload ? " enctype=\"multipart/form-data\"" : .empty
        let hiddenInputs = HTML(joining: ([(ConsoleCSRF.field, token)] + hidden).map {
            "<input type=\"hidden\" name=\"\($0.0)\" value=\"\($0.1)\">\n"
        })
        return """
            <form method="post" action="\(action)" class="step" id="form-\(id)"\(encoding)\(ask)>
            <h3>\(title)</h3>
            \(hiddenInputs)\(fields)
            <div><button type="submit" id="\(id)">\(button)</button></div>
            </form>
            """
    }
}
