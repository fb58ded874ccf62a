import Foundation
import Hummingbird
import SandboxCore

/// 审计记录: the staff audit trail for auditors and the city (as GET /v1/admin/audit): who, role,
/// when, what, about what, from where, what came of it — newest first, filtered by actor,
/// subject (a USCC, a case) and day, paged by `before`, exported as CSV with the same filters.
enum AuditPage {
    static let pageSize = 200

    static func answer(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore) async throws -> Response {
        let c = context.console
        let actor = QueryParameters.text(request, "actor"), subject = QueryParameters.text(request, "subject")
        let sinceText = QueryParameters.text(request, "since")
        let since = try sinceText.map { text -> Int64 in
            guard let t = UTCTime.parse(text) else { throw APIError(.badRequest, "since must be a day YYYY-MM-DD (or an RFC 3339 time), got \(text)") }
            return t
        }
        let before = request.uri.queryParameters.get("before") == nil ? nil
            : Int64(try QueryParameters.integer(request, "before", default: 0, in: 0...Int.max))
        let format = try ExportFormat.asked(request)
        let limit = format == nil ? pageSize : 10_000
        let entries = try await store.read { try $0.staffAudit(actor: actor, subject: subject, since: since, before: before, limit: limit) }
        let headers = [c.t(.updated), c.t(.actor), c.t(.role), c.t(.action), c.t(.subject), c.t(.outcome), c.t(.status), c.t(.fromAddress),
                       c.t(.detail)]
        let lines: [[String]] = entries.map { e in
            [UTCTime.rfc3339(e.at), e.actor, e.role ?? "", e.action, e.subject ?? "", e.outcome, String(e.status), e.address ?? "", e.detail ?? ""]
        }
        if let format { return format.response(headers: headers, rows: lines, name: "audit") }
        var more = HTML.empty
        if entries.count == limit, let last = entries.last {
            var query = ["before=\(last.seq)"]
            for (name, value) in [("actor", actor), ("subject", subject), ("since", sinceText)] {
                if let value { query.append("\(name)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")") }
            }
            more = "<p><a href=\"/console/audit?\(query.joined(separator: "&"))\">\(c.t(.earlier))</a></p>"
        }
        let body: HTML = """
            <h1>\(c.t(.audit))</h1>
            <form method="get" action="/console/audit">
            <label for="actor">\(c.t(.actor))</label>
            <input type="text" id="actor" name="actor" value="\(actor ?? "")">
            <label for="subject">\(c.t(.subject))</label>
            <input type="text" id="subject" name="subject" value="\(subject ?? "")">
            <label for="since">\(c.t(.since))</label>
            <input type="text" id="since" name="since" value="\(sinceText ?? "")">
            <div><button type="submit">\(c.t(.show))</button></div>
            </form>
            \(ExportFormat.links(request, c))
            \(ConsoleTable(caption: c.t(.audit), headers: headers, rows: lines.map { $0.map { "\($0)" } }).html(c))
            \(more)
            """
        return ConsolePage.render(title: c.t(.audit), body, context: context, path: "/console/audit")
    }
}
