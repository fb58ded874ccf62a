/// A list of USCCs refused whole (MemberList): the alert that says nothing was changed or sent,
/// with the lines that hold no valid code (the first 50), so staff see what to correct.
enum ListRefusal {
    static func html(_ list: MemberList, message: String, _ c: ConsoleRequestState) -> HTML {
        let rows: [[HTML]] = list.problems.prefix(50).map { ["\($0.line)", "\($0.text)"] }
        return """
            <div class="error" role="alert" id="refused"><p>\(message)</p>
            \(ConsoleTable(caption: c.t(.badLines), headers: [c.t(.line), c.t(.detail)], rows: rows).html(c))</div>
            """
    }
}
