import Foundation
import Hummingbird
import SandboxCore

/// One enterprise's roster decision as the regulator takes it now (GET /v1/admin/roster?uscc=):
/// the decision and why not, each platform's proposal and class, the staff overrides; for the
/// city, the admit and remove forms. An override is shown first as exactly the directives it
/// will send — to which platforms, with what — and sent only from that preview, through
/// `RosterOverrides`, the API's own path. Another district's enterprise is the 404 of a code
/// never filed, audited as denied.
enum RosterEntryPage {
    static func detail(_ context: RegulatorRequestContext, store: RegulatorStore) async throws -> Response {
        let c = context.console
        let (uscc, entry) = try await visibleEntry(context, store: store)
        let facts: [ConsoleFacts.Fact] = [
            .init(c.t(.uscc), ConsoleCell.enterprise(uscc).html),
            .init(c.t(.enterpriseName), text: entry.name),
            .init(c.t(.standing), entry.member ? "<strong class=\"member\">\(c.t(.member))</strong>"
                                               : "<strong class=\"not-member\">\(c.t(.notMember))</strong>", id: "standing"),
            .init(c.t(.memberSince), text: entry.memberSince),
            .init(c.t(.worstClass), text: entry.worstClass ?? c.t(.unclassified)),
            .init(c.t(.proposedBy), text: entry.proposedBy.joined(separator: "、")),
            .init(c.t(.notMemberBecause), entry.notMemberBecause.isEmpty ? "—"
                  : "<ul>\(HTML(joining: entry.notMemberBecause.map { "<li>\(RosterReasonText.text($0, c))</li>" }))</ul>", id: "reasons"),
            .init(c.t(.holdUntil), text: entry.removalHoldUntil),
        ]
        let platforms: [[HTML]] = entry.platforms.map { d in
            let decision = [d.decision["decision"]?.stringValue, d.decision["at"]?.stringValue].compactMap { $0 }.joined(separator: " · ")
            return ["\(d.platformID)", "\(d.platformMerchantID)", "\(Art33Wording.yesNo(d.member, c))", "\(d.creditClass ?? "")",
                    "\(d.memberSince ?? "")", "\(decision)", "\(d.readmitNotBefore ?? "")", "\(d.packVersion ?? "")", "\(d.updatedAt)"]
        }
        let overrides: [[HTML]] = entry.overrides.map { o in
            ["\(o.createdAt)", "\(RosterPage.overrideName(o.action, c))", "\(o.reason)", "\(o.basis ?? "")", "\(o.holdDays.map(String.init) ?? "")",
             "\(o.holdUntil ?? "")", "\(o.inForce ? c.t(.yes) : "")", "\(o.directiveIDs.joined(separator: " "))"]
        }
        var forms = HTML.empty
        if try context.requireIdentity().role == .city, let token = c.csrfToken {
            forms = HTML(joining: ["admit", "remove"].map { form($0, uscc: uscc, token: token, c) })
        }
        let body: HTML = """
            <h1>\(c.t(.rosterEntry)): \(entry.name ?? uscc)</h1>
            \(ConsoleFacts(facts).html)
            <h2>\(c.t(.platformDecisions))</h2>
            \(ConsoleTable(caption: c.t(.platformDecisions),
                           headers: [c.t(.platform), c.t(.merchantID), c.t(.proposes), c.t(.creditClass), c.t(.memberSince), c.t(.decision),
                                     c.t(.readmitNotBefore), c.t(.packVersion), c.t(.updated)], rows: platforms).html(c))
            <h2>\(c.t(.overrides))</h2>
            \(ConsoleTable(caption: c.t(.overrides),
                           headers: [c.t(.decidedAt), c.t(.action), c.t(.reason), c.t(.basis), c.t(.holdDays), c.t(.holdUntil), c.t(.inForce),
                                     c.t(.directivesSent)], rows: overrides).html(c))
            \(forms)
            """
        return ConsolePage.render(title: "\(c.t(.rosterEntry)) \(uscc)", body, context: context, path: "/console/roster/\(uscc)")
    }

    /// POST /console/roster/{uscc}/preview: what the override would send, and the form that sends it.
    static func preview(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore,
                        overrides: RosterOverrides) async throws -> Response {
        let c = context.console
        let (uscc, _) = try await visibleEntry(context, store: store)
        let preview = try await overrides.preview(try await asked(request), uscc: uscc)
        let r = preview.request
        let rows: [[HTML]] = preview.platforms.map { ["\($0)", "sandbox", "\(uscc)", "<code>\(preview.payload.jsonText)</code>"] }
        var hidden = [(name: "action", value: r.action), (name: "reason", value: r.reason)]
        if let basis = r.basis { hidden.append((name: "basis", value: basis)) }
        if let days = r.holdDays { hidden.append((name: "hold_days", value: String(days))) }
        let send = ConsolePostForm(action: "/console/roster/\(uscc)", id: "send",
                                   title: r.action == "admit" ? c.t(.overrideAdmit) : c.t(.overrideRemove), hidden: hidden,
                                   button: c.t(.send), confirm: c.t(.confirmOverride))
        let body: HTML = """
            <h1>\(c.t(.preview)): \(uscc)</h1>
            <p>\(c.t(.previewExplain))</p>
            \(ConsoleTable(caption: c.t(.preview), headers: [c.t(.platform), c.t(.kind), c.t(.uscc), c.t(.payload)], rows: rows).html(c))
            \(send.html(token: c.csrfToken ?? ""))
            <p><a href="/console/roster/\(uscc)">\(c.t(.back))</a></p>
            """
        return ConsolePage.render(title: c.t(.preview), body, context: context, path: "/console/roster/\(uscc)")
    }

    /// POST /console/roster/{uscc}: the previewed override, recorded and sent.
    static func override(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore,
                         overrides: RosterOverrides) async throws -> Response {
        let (uscc, _) = try await visibleEntry(context, store: store)
        _ = try await overrides.record(try await asked(request), uscc: uscc)
        return ConsolePage.redirect(to: "/console/roster/\(uscc)")
    }

    /// The enterprise of the path with its roster decision now, when the caller's jurisdiction
    /// holds it; otherwise the 404 of a code never filed.
    static func visibleEntry(_ context: RegulatorRequestContext, store: RegulatorStore) async throws -> (String, RosterEntry) {
        let uscc = try RegulatorRouter.usccParameter(context.parameters.get("uscc") ?? "")
        try await context.requireJurisdiction(over: uscc, store: store, denied: JurisdictionDenied(uscc: uscc))
        guard let entry = try await store.read({ try $0.roster(uscc: uscc, now: Timestamp.now()).first }) else {
            throw APIError(.notFound, "no platform sent a roster or class decision for USCC \(uscc), and no override was recorded")
        }
        return (uscc, entry)
    }

    /// The override form's fields as the API's request.
    static func asked(_ request: Request) async throws -> RosterOverrideRequest {
        let form = try await ConsoleForm(request)
        var days: Int?
        if let text = form.text("hold_days") {
            guard let n = Int(text) else { throw APIError(.badRequest, "the hold must be a number of days, 0…3650; got \(text)") }
            days = n
        }
        return RosterOverrideRequest(action: form.text("action") ?? "", reason: form.text("reason") ?? "", basis: form.text("basis"),
                                     holdDays: days)
    }

    static func form(_ action: String, uscc: String, token: String, _ c: ConsoleRequestState) -> HTML {
        var fields = [ConsoleField.text("reason", c.t(.reason), form: action),
                      ConsoleField.text("basis", c.t(.basisOptional), form: action, required: false)]
        if action == "remove" { fields.append(ConsoleField.text("hold_days", c.t(.holdDays), form: action, required: false, type: "number")) }
        return ConsolePostForm(action: "/console/roster/\(uscc)/preview", id: action,
                               title: action == "admit" ? c.t(.overrideAdmit) : c.t(.overrideRemove),
                               hidden: [(name: "action", value: action)], fields: HTML(joining: fields),
                               button: c.t(.previewDirectives)).html(token: token)
    }
}
