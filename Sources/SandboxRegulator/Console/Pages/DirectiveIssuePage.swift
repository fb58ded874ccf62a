import Foundation
import Hummingbird
import SandboxCore

/// The city's directive form (on the directives page): a type, one enterprise's USCC and/or an
/// uploaded list of USCCs (as an association's member list: a file as Excel saves it, or pasted;
/// a list with a line that holds no valid code is refused whole, with those lines shown), the
/// reason and what the platform must do. It first shows the **preview** — one directive per
/// platform holding a storefront of each enterprise, with the exact payload, the count, and the
/// enterprises no platform holds (nothing is sent to them) — and only the preview's 确认发送
/// sends, through `StaffDirectives`, the API's own path. The preview carries the plan's digest:
/// if the storefronts changed meanwhile, the confirmation is refused with the new preview.
enum DirectiveIssuePage {
    static func form(token: String, _ c: ConsoleRequestState) -> HTML {
        let fields = [
            ConsoleField.select("type", c.t(.directiveType), form: "issue",
                                options: DirectiveOrder.handTypes.map { ($0, DirectiveWording.type($0, c)) }, selected: "guidance"),
            ConsoleField.text("uscc", c.t(.oneEnterprise), form: "issue", required: false),
            ConsoleField.file("list", c.t(.memberFile), form: "issue", accept: ".csv,.txt,text/csv,text/plain"),
            ConsoleField.textarea("usccs", c.t(.memberPaste), form: "issue", rows: 3),
            ConsoleField.textarea("reason", c.t(.reason), form: "issue", required: true, rows: 2),
            ConsoleField.text("basis", c.t(.basisOptional), form: "issue", required: false),
            ConsoleField.text("action", c.t(.actionRequired), form: "issue", required: false),
            ConsoleField.text("deadline", c.t(.deadlineOptional), form: "issue", required: false, type: "date"),
        ]
        return ConsolePostForm(action: "/console/directives/preview", id: "issue", title: c.t(.issueDirective),
                               fields: HTML(joining: fields), button: c.t(.previewDirectives), upload: true).html(token: token)
    }

    /// POST /console/directives/preview: what the order would send; nothing is sent.
    static func preview(_ request: Request, _ context: RegulatorRequestContext, directives: StaffDirectives) async throws -> Response {
        let upload = try await ConsoleUpload(request)
        let single = upload.text("uscc").map { Array($0.uppercased().utf8) } ?? []
        let list = MemberList((upload.files["list"] ?? []) + [UInt8(ascii: "\n")] + Array((upload["usccs"] ?? "").utf8)
                              + [UInt8(ascii: "\n")] + single)
        if !list.problems.isEmpty { return refused(list, context) }
        if list.usccs.isEmpty { throw APIError(.badRequest, context.console.t(.emptyList)) }
        let order = try checked(upload.text, usccs: list.usccs)
        let plan = try await directives.plan(order, by: try context.requireIdentity())
        return previewPage(order, plan, context, status: .ok, problem: nil)
    }

    /// POST /console/directives: the previewed order, sent when it still makes the previewed plan.
    static func send(_ request: Request, _ context: RegulatorRequestContext, directives: StaffDirectives) async throws -> Response {
        let upload = try await ConsoleUpload(request)
        let usccs = (upload["usccs"] ?? "").split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" }).map(String.init)
        let order = try checked(upload.text, usccs: usccs)
        let identity = try context.requireIdentity()
        let plan = try await directives.plan(order, by: identity)
        guard upload.text("plan") == plan.digest else {
            return previewPage(order, plan, context, status: .conflict, problem: context.console.t(.planChanged))
        }
        guard !plan.directives.isEmpty else { throw APIError(.notFound, context.console.t(.nothingToSend)) }
        _ = try await directives.issue(plan.directives, by: identity)
        return ConsolePage.redirect(to: "/console/directives")
    }

    /// The order of the form's fields, or the 400 that says what to correct.
    static func checked(_ text: (String) -> String?, usccs: [String]) throws -> DirectiveOrder {
        do {
            return try DirectiveOrder.checked(type: text("type") ?? "", usccs: usccs, reason: text("reason"), basis: text("basis"),
                                              action: text("action"), deadline: text("deadline"))
        } catch let problem as DirectiveOrderProblem {
            throw APIError(.badRequest, problem.description)
        }
    }

    static func previewPage(_ order: DirectiveOrder, _ plan: DirectivePlan, _ context: RegulatorRequestContext,
                            status: HTTPResponse.Status, problem: String?) -> Response {
        let c = context.console
        let rows: [[HTML]] = plan.directives.map { d in
            ["\(d.platformID)", "\(d.type)", "\(ConsoleCell.enterprise(d.uscc).html)", "<code>\(d.payload.jsonText)</code>"]
        }
        var hidden = [(name: "type", value: order.type), (name: "usccs", value: order.usccs.joined(separator: " ")),
                      (name: "reason", value: order.reason), (name: "plan", value: plan.digest)]
        if let basis = order.basis { hidden.append((name: "basis", value: basis)) }
        if let action = order.action { hidden.append((name: "action", value: action)) }
        if let deadline = order.deadline { hidden.append((name: "deadline", value: deadline.description)) }
        let send: HTML = plan.directives.isEmpty ? .empty
            : ConsolePostForm(action: "/console/directives", id: "send", title: c.t(.issueDirective), hidden: hidden,
                              button: c.t(.send), confirm: c.t(.confirmDirectives), upload: true).html(token: c.csrfToken ?? "")
        let alert: HTML = problem.map { "<div class=\"error\" role=\"alert\" id=\"refused\"><p>\($0)</p></div>" } ?? .empty
        let none: HTML = plan.withoutStorefront.isEmpty ? .empty : """
            <div id="no-storefront"><p>\(c.t(.noStorefront))</p>
            <ul>\(HTML(joining: plan.withoutStorefront.map { "<li>\(ConsoleCell.enterprise($0).html)</li>" }))</ul></div>
            """
        let body: HTML = """
            <h1>\(c.t(.preview)): \(DirectiveWording.type(order.type, c))</h1>
            \(alert)
            <p>\(c.t(.directivePreviewExplain))</p>
            <p>\(c.t(.previewCount)): <strong id="count">\(plan.directives.count)</strong> · \(c.t(.enterprises)): \(order.usccs.count)</p>
            \(ConsoleTable(caption: c.t(.preview), headers: [c.t(.platform), c.t(.kind), c.t(.uscc), c.t(.payload)], rows: rows).html(c))
            \(none)
            \(send)
            <p><a href="/console/directives">\(c.t(.back))</a></p>
            """
        return ConsolePage.render(title: c.t(.preview), body, context: context, status: status, path: "/console/directives")
    }

    /// The directives page again (400) with the lines of the list that hold no valid code; nothing is sent.
    static func refused(_ list: MemberList, _ context: RegulatorRequestContext) -> Response {
        let c = context.console
        let body: HTML = """
            <h1>\(c.t(.directives))</h1>
            \(ListRefusal.html(list, message: c.t(.badLinesNothingSent), c))
            \(form(token: c.csrfToken ?? "", c))
            """
        return ConsolePage.render(title: c.t(.directives), body, context: context, status: .badRequest, path: "/console/directives")
    }
}
