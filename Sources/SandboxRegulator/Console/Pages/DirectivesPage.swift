import Foundation
import Hummingbird
import SandboxCore

/// 监管指令: the directives staff issued by hand and where each stands — received and acted on,
/// refused with the platform's note, or still awaiting a receipt and for how many days —
/// newest first, 100 a page by cursor, filtered by platform, type and enterprise; one directive
/// with every receipt its platform sent. For the city (which also gets the issue form, through
/// DirectiveIssuePage) and auditors; both see the whole city, so no enterprise is hidden here.
enum DirectivesPage {
    static let pageSize = 100

    static func list(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore) async throws -> Response {
        let c = context.console
        let format = try ExportFormat.asked(request)
        var filter = StaffDirectiveFilter(platformID: QueryParameters.text(request, "platform"), type: QueryParameters.text(request, "type"))
        if let uscc = QueryParameters.text(request, "uscc") { filter.uscc = try RegulatorRouter.usccParameter(uscc.uppercased()) }
        // A download is the whole filtered list from the newest, not the page on screen.
        if format == nil, let before = QueryParameters.text(request, "before") {
            guard let cursor = Int64(before), cursor > 0 else { throw APIError(.badRequest, "before must be a directive cursor; got \(before)") }
            filter.before = cursor
        }
        let limit = ConsoleList.limit(format, page: pageSize)
        let found = try await store.read { [filter] in try $0.staffDirectives(filter, limit: limit + 1) }
        let shown = found.prefix(limit)
        let list = followList(Array(shown), now: Timestamp.now(), c)
        if let format { return list.download(format) }
        var issue = HTML.empty
        if try context.requireIdentity().role == .city, let token = c.csrfToken { issue = DirectiveIssuePage.form(token: token, c) }
        let body: HTML = """
            <h1>\(c.t(.directives))</h1>
            \(issue)
            <h2>\(c.t(.followReceipts))</h2>
            <form method="get" action="/console/directives">
            \(ConsoleField.text("platform", c.t(.platform), form: "filter", value: filter.platformID ?? "", required: false))
            \(ConsoleField.select("type", c.t(.directiveType), form: "filter",
                                  options: [("", c.t(.anyValue))] + DirectiveOrder.handTypes.map { ($0, DirectiveWording.type($0, c)) },
                                  selected: filter.type ?? ""))
            \(ConsoleField.text("uscc", c.t(.uscc), form: "filter", value: filter.uscc ?? "", required: false))
            <div><button type="submit">\(c.t(.show))</button></div>
            </form>
            \(ExportFormat.links(request, c))
            \(list.html(c))
            \(ConsoleQuery.nextPage(request, "before", found.count > limit ? shown.last.map { String($0.directive.cursor) } : nil, c))
            """
        return ConsolePage.render(title: c.t(.directives), body, context: context, path: "/console/directives")
    }

    /// The follow list: one row per directive, the same cells on the page and in a download.
    static func followList(_ rows: [TrackedDirective], now: Int64, _ c: ConsoleRequestState) -> ConsoleList {
        ConsoleList(
            caption: c.t(.followReceipts),
            headers: [c.t(.cursor), c.t(.directive), c.t(.platform), c.t(.uscc), c.t(.directiveType), c.t(.sentAt), c.t(.issuedBy),
                      c.t(.receiptState), c.t(.receiptAt), c.t(.waitingDays)],
            rows: rows.map { t in
                let d = t.directive
                let state = DirectiveWording.state(t, now: now, c)
                return [ConsoleCell(String(d.cursor)), ConsoleCell(d.id, href: "/console/directives/\(d.id)"), ConsoleCell(d.platformID),
                        .enterprise(d.uscc), ConsoleCell(DirectiveWording.type(d.type, c)), ConsoleCell(d.createdAt),
                        ConsoleCell(t.issuedBy ?? ""), ConsoleCell(state.text, emphasis: state.waitingDays != nil || t.lastAction == "rejected"),
                        ConsoleCell(t.lastAt.map(UTCTime.rfc3339) ?? ""), ConsoleCell(state.waitingDays.map { String($0) } ?? "")]
            },
            name: "directives")
    }

    /// GET /console/directives/{id}: the directive as sent and every receipt for it.
    static func detail(_ context: RegulatorRequestContext, store: RegulatorStore) async throws -> Response {
        let c = context.console
        let id = context.parameters.get("id") ?? ""
        guard let status = try await store.read({ try $0.directiveStatus(id: id) }) else {
            throw APIError(.notFound, "no directive \(id)")
        }
        let d = status.directive
        let facts: [ConsoleFacts.Fact] = [
            .init(c.t(.directive), text: d.id), .init(c.t(.cursor), text: String(d.cursor)), .init(c.t(.platform), text: d.platformID),
            .init(c.t(.uscc), ConsoleCell.enterprise(d.uscc).html), .init(c.t(.merchantID), text: d.platformMerchantID),
            .init(c.t(.directiveType), text: DirectiveWording.type(d.type, c)), .init(c.t(.sentAt), text: d.createdAt),
            .init(c.t(.payload), "<code>\(d.payload.jsonText)</code>", id: "payload"),
        ]
        let rows: [[HTML]] = status.receipts.map { r in
            ["\(r.receiptID)", "\(r.platformMerchantID)", "\(DirectiveWording.receipt(r.action, c))", "\(r.at)", "\(r.note ?? "")", "\(r.receivedAt)"]
        }
        let awaiting: HTML = status.receipts.isEmpty && ReceiptRule.expectedFor.contains(d.type.lowercased())
            ? "<p class=\"none\" id=\"awaiting\">\(c.t(.receiptAwaiting))</p>" : .empty
        let body: HTML = """
            <h1>\(c.t(.directive)) \(d.id)</h1>
            \(ConsoleFacts(facts).html)
            <h2>\(c.t(.receipts))</h2>
            \(awaiting)
            \(ConsoleTable(caption: c.t(.receipts), headers: [c.t(.receiptID), c.t(.merchantID), c.t(.receiptState), c.t(.receiptAt),
                                                            c.t(.remark), c.t(.receivedAt)], rows: rows).html(c))
            <p><a href="/console/directives">\(c.t(.back))</a></p>
            """
        return ConsolePage.render(title: "\(c.t(.directive)) \(d.id)", body, context: context, path: "/console/directives/\(d.id)")
    }
}
