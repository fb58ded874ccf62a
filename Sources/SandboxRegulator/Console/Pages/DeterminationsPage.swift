import Foundation
import Hummingbird
import SandboxCore
import SandboxWire

/// 首违不罚建议: the agents' 行政处罚法 art. 33 recommendations in the caller's jurisdiction, the
/// undecided first (the queue of GET /v1/admin/determinations), and one with the case's evidence,
/// the agent's criteria, the regulator's own judgment of "first" across every platform, and the
/// decision form — recorded through the API's `DeterminationsController.record` (decided once;
/// not penalising sends the education note to the platform). A decision that does not fit is
/// answered with the recommendation's page and the reason, status 409.
enum DeterminationsPage {
    static let pageSize = 100

    static func queue(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore) async throws -> Response {
        let c = context.console
        let all: Bool
        switch QueryParameters.text(request, "state") ?? "undecided" {
        case "undecided": all = false
        case "all": all = true
        case let other: throw APIError(.badRequest, "state must be undecided or all, got \(other)")
        }
        let format = try ExportFormat.asked(request)
        let offset = format == nil ? try QueryParameters.integer(request, "offset", default: 0, in: 0...1_000_000) : 0
        let limit = ConsoleList.limit(format, page: pageSize)
        let jurisdiction = try context.scope()
        let found = try await store.read { try $0.recommendations(jurisdiction: jurisdiction, pending: !all, limit: limit + 1, offset: offset) }
        let list = ConsoleList(
            caption: c.t(.determinations),
            headers: [c.t(.caseID), c.t(.platform), c.t(.uscc), c.t(.rule), c.t(.severity), c.t(.recommended), c.t(.rectifiedAt),
                      c.t(.firstHere), c.t(.decision), c.t(.decidedBy)],
            rows: found.prefix(limit).map { r in
                [ConsoleCell(r.caseID, href: path(r)), ConsoleCell(r.platformID), .enterprise(r.uscc), ConsoleCell(r.ruleID),
                 ConsoleCell(r.severity ?? ""), ConsoleCell(Art33Wording.recommendation(r.recommended, c)), ConsoleCell(r.rectifiedAt ?? ""),
                 ConsoleCell(Art33Wording.yesNo(r.firstHere, c)), ConsoleCell(Art33Wording.decision(r.decision, c), emphasis: r.decision == nil),
                 ConsoleCell(r.decidedBy ?? "")]
            },
            name: "determinations")
        if let format { return list.download(format) }
        // Only an undecided recommendation can be ticked: a decision is taken once.
        let table = try ConsoleBulk.queueTable(context, caption: list.caption, headers: list.headers, rows: list.rows.map { $0.map(\.html) },
                                               cases: found.prefix(limit).map { r in
                                                   r.decision == nil ? .init(platform: r.platformID, caseID: r.caseID) : nil
                                               },
                                               queue: "/console/determinations", fields: DeterminationsBulk.fields(c))
        let body: HTML = """
            <h1>\(c.t(.determinations))</h1>
            <form method="get" action="/console/determinations">
            \(ConsoleField.select("state", c.t(.listState), form: "filter", options: [("undecided", c.t(.showUndecided)), ("all", c.t(.showAll))],
                                 selected: all ? "all" : "undecided"))
            <div><button type="submit">\(c.t(.show))</button></div>
            </form>
            \(ExportFormat.links(request, c))
            \(table)
            \(ConsoleQuery.nextPage(request, "offset", found.count > limit ? String(offset + limit) : nil, c))
            """
        return ConsolePage.render(title: c.t(.determinations), body, context: context, path: "/console/determinations")
    }

    static func detail(_ context: RegulatorRequestContext, determinations: DeterminationsController,
                       store: RegulatorStore) async throws -> Response {
        try await page(try await determinations.visible(context), context, store: store)
    }

    /// POST /console/determinations/{platform}/{case}: the form's decision.
    static func decide(_ request: Request, _ context: RegulatorRequestContext, determinations: DeterminationsController,
                       store: RegulatorStore) async throws -> Response {
        let rec = try await determinations.visible(context)
        let form = try await ConsoleForm(request)
        guard let decision = form.text("decision").flatMap(Art33Decision.init(rawValue:)) else {
            throw APIError(.badRequest, "the form names no decision; reload the page and choose one of its decisions")
        }
        if let why = Art33Wording.unavailable(decision, on: rec, context.console) {
            return try await page(rec, context, store: store, refusal: why)
        }
        do {
            _ = try await determinations.record(decision, note: decision.educates ? form.text("note") : nil, on: rec,
                                                by: try context.requireIdentity())
        } catch let error as APIError where error.status == .conflict {
            // Decided meanwhile by someone else, or its facts changed: the page as it is now.
            return try await page(try await determinations.visible(context), context, store: store, refusal: error.message)
        }
        return ConsolePage.redirect(to: path(rec))
    }

    static func path(_ rec: Recommendation) -> String { "/console/determinations/\(rec.platformID)/\(rec.caseID)" }

    /// One recommendation; with `refusal`, why the decision just sent was not recorded (409).
    static func page(_ rec: Recommendation, _ context: RegulatorRequestContext, store: RegulatorStore,
                     refusal: String? = nil) async throws -> Response {
        let c = context.console
        let record = try await store.read { try $0.storedRecord(platformID: rec.platformID, kind: .case, key: rec.caseID) }
        let data = record?.data ?? .null
        let earlier = HTML(joining: rec.earlierCases.map { key -> HTML in
            // "B/B-c0" is a platform's case, "lead:A/A-c9" a lead the bureau closed: both open as a lead.
            let target = key.hasPrefix("lead:") ? String(key.dropFirst(5)) : key
            return "<li><a href=\"/console/leads/\(target)\">\(key)</a></li>"
        })
        var facts: [ConsoleFacts.Fact] = [
            .init(c.t(.platform), text: rec.platformID),
            .init(c.t(.uscc), ConsoleCell.enterprise(rec.uscc).html),
            .init(c.t(.merchantID), text: rec.platformMerchantID),
            .init(c.t(.rule), text: data["rule_title"]?.stringValue.map { "\(rec.ruleID) \($0)" } ?? rec.ruleID),
            .init(c.t(.severity), text: rec.severity),
            .init(c.t(.recommended), "<strong>\(Art33Wording.recommendation(rec.recommended, c))</strong>", id: "recommended"),
            .init(c.t(.basis), text: data["determination"]?["basis"]?.stringValue),
            .init(c.t(.rectifiedAt), text: rec.rectifiedAt),
            .init(c.t(.firstOnPlatform), text: Art33Wording.yesNo(rec.firstOnPlatform, c)),
            .init(c.t(.firstHere), "<strong>\(Art33Wording.yesNo(rec.firstHere, c))</strong>", id: "first-here"),
            .init(c.t(.earlierCases), rec.earlierCases.isEmpty ? "—" : "<ul>\(earlier)</ul>", id: "earlier-cases"),
            .init(c.t(.educationNote), text: rec.educationNote),
            .init(c.t(.decision), "\(Art33Wording.decision(rec.decision, c))", id: "decision"),
        ]
        if rec.decision != nil {
            facts += [.init(c.t(.decidedBy), text: rec.decidedBy), .init(c.t(.decidedAt), text: rec.decidedAt),
                      .init(c.t(.directive), text: rec.directiveID)]
        }
        let criteria: [[HTML]] = (data["determination"]?["criteria"]?.objectValue ?? [:]).sorted { $0.key < $1.key }.map { name, value in
            var detail = value.objectValue ?? [:]
            let holds: Bool? = { if case .bool(let b)? = detail.removeValue(forKey: "holds") { return b }; return nil }()
            return ["\(name)", "\(Art33Wording.yesNo(holds, c))", "\(JSONValue.object(detail).jsonText)"]
        }
        let mayDecide = try context.requireIdentity().role.map { $0 == .city || $0 == .district } ?? false
        var form = HTML.empty
        if rec.decision == nil, mayDecide, let token = c.csrfToken {
            let options = Art33Decision.allCases.map { d in
                (value: d.rawValue, label: Art33Wording.decision(d, c), unavailable: Art33Wording.unavailable(d, on: rec, c))
            }
            form = ConsolePostForm(
                action: path(rec), id: "decide", title: c.t(.decide),
                fields: HTML(joining: [ConsoleField.choice("decision", legend: c.t(.decision), form: "decide", options: options),
                                       ConsoleField.textarea("note", c.t(.educationNote), form: "decide", value: rec.educationNote)]),
                button: c.t(.decide), confirm: c.t(.confirmDetermination)).html(token: token)
        }
        let alert: HTML = refusal.map { "<p class=\"error\" role=\"alert\" id=\"refused\">\($0)</p>" } ?? .empty
        let body: HTML = """
            <h1>\(c.t(.determinationDetail)) \(rec.caseID)</h1>
            \(alert)
            \(ConsoleFacts(facts).html)
            <h2>\(c.t(.evidence))</h2>
            <p id="evidence">\(ProposalsPage.evidenceText(data["lead"]?["evidence"]))</p>
            <h2>\(c.t(.criteria))</h2>
            \(ConsoleTable(caption: c.t(.criteria), headers: [c.t(.criterion), c.t(.holds), c.t(.detail)], rows: criteria).html(c))
            \(form)
            """
        return ConsolePage.render(title: "\(c.t(.determinationDetail)) \(rec.caseID)", body, context: context,
                                  status: refusal == nil ? .ok : .conflict, path: path(rec))
    }
}
