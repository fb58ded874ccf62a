import Foundation
import Hummingbird
import SandboxCore
import SandboxPolicy
import SandboxWire

/// 待确认的处置措施: the suspensions and terminations the agents propose in the caller's
/// jurisdiction, the longest waiting first (the queue of GET /v1/admin/proposals), and one with
/// its evidence and the three decisions — confirm, defer to a day, cancel — recorded through the
/// API's own `ProposalsController.record` (the checks, the issuing organ, the directive).
enum ProposalsPage {
    /// A page of the queue: what an officer works through (and ticks for a bulk action) at once.
    static let pageSize = 100

    static func queue(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore) async throws -> Response {
        let c = context.console
        let jurisdiction = try context.scope()
        let format = try ExportFormat.asked(request)
        let offset = format == nil ? try QueryParameters.integer(request, "offset", default: 0, in: 0...1_000_000) : 0
        let limit = ConsoleList.limit(format, page: pageSize)
        let found = try await store.read { try $0.proposals(jurisdiction: jurisdiction, states: [.pending, .deferred],
                                                             today: LeadsController.today(), limit: limit + 1, offset: offset) }
        let list = Array(found.prefix(limit))
        let headers = [c.t(.caseID), c.t(.platform), c.t(.uscc), c.t(.rule), c.t(.proposedStep), c.t(.proposalState),
                       c.t(.firstProposed), c.t(.waitingDays)]
        if let format {
            return format.response(headers: headers, rows: list.map { p in
                [p.caseID, p.platformID, p.uscc ?? "", p.ruleTitle ?? p.ruleID, stepName(p.kind, c), state(p, c), p.firstProposedAt,
                 String(p.waitingDays)]
            }, name: "proposals")
        }
        let rows: [[HTML]] = list.map { p in
            ["<a href=\"/console/proposals/\(p.platformID)/\(p.caseID)\">\(p.caseID)</a>", "\(p.platformID)",
             p.uscc.map { "<a href=\"/console/enterprises/\($0)\">\($0)</a>" } ?? "", "\(p.ruleTitle ?? p.ruleID)",
             "<strong>\(stepName(p.kind, c))</strong>", "\(state(p, c))", "\(p.firstProposedAt)", "\(p.waitingDays)"]
        }
        let table = try ConsoleBulk.queueTable(context, caption: c.t(.proposals), headers: headers, rows: rows,
                                               cases: list.map { .init(platform: $0.platformID, caseID: $0.caseID) },
                                               queue: "/console/proposals", fields: ProposalsBulk.fields(c))
        let body: HTML = """
            <h1>\(c.t(.proposals))</h1>
            \(ExportFormat.links(request, c))
            \(table)
            \(ConsoleQuery.nextPage(request, "offset", found.count > limit ? String(offset + limit) : nil, c))
            """
        return ConsolePage.render(title: c.t(.proposals), body, context: context, path: "/console/proposals")
    }

    static func detail(_ context: RegulatorRequestContext, proposals: ProposalsController) async throws -> Response {
        let c = context.console
        let p = try await proposals.visible(context)
        let mayDecide = try context.requireIdentity().role.map { $0 == .city || $0 == .district } ?? false
        let waiting = p.state == CaseProposal.State.pending.rawValue || p.state == CaseProposal.State.deferred.rawValue
        let forms: HTML
        if let d = p.decision {
            forms = "<p id=\"decided\">\(c.t(.decidedAlready))\(d.decision) · \(d.decidedBy) · \(d.decidedAt)\(d.until.map { " · \($0)" } ?? "")</p>"
        } else if waiting, mayDecide, let token = c.csrfToken {
            forms = HTML(joining: ProposalVerdict.allCases.map { form($0, p, token: token, c) })
        } else {
            forms = .empty
        }
        let evidence = evidenceText(p.evidence)
        let body: HTML = """
            <h1>\(c.t(.proposalDetail)) \(p.caseID)</h1>
            <dl class="facts">
            <dt>\(c.t(.platform))</dt><dd>\(p.platformID)</dd>
            <dt>\(c.t(.uscc))</dt><dd>\(p.uscc.map { "<a href=\"/console/enterprises/\($0)\">\($0)</a>" as HTML } ?? .empty)</dd>
            <dt>\(c.t(.merchantID))</dt><dd>\(p.platformMerchantID ?? "")</dd>
            <dt>\(c.t(.rule))</dt><dd>\(p.ruleTitle ?? p.ruleID)</dd>
            <dt>\(c.t(.deadline))</dt><dd>\(p.deadline ?? "")</dd>
            <dt>\(c.t(.proposedStep))</dt><dd><strong>\(stepName(p.kind, c))</strong></dd>
            <dt>\(c.t(.proposalState))</dt><dd id="state">\(state(p, c))</dd>
            <dt>\(c.t(.firstProposed))</dt><dd>\(p.firstProposedAt) (\(p.waitingDays))</dd>
            <dt>\(c.t(.reason))</dt><dd>\(p.reason ?? "")</dd>
            <dt>\(c.t(.evidence))</dt><dd>\(evidence)</dd>
            <dt>\(c.t(.action))</dt><dd>\(p.action ?? "")</dd>
            <dt>\(c.t(.basis))</dt><dd>\(p.basis ?? "")</dd>
            </dl>
            \(forms)
            """
        return ConsolePage.render(title: "\(c.t(.proposalDetail)) \(p.caseID)", body, context: context,
                                  path: "/console/proposals/\(p.platformID)/\(p.caseID)")
    }

    /// POST /console/proposals/{platform}/{case}: the form's decision.
    static func decide(_ request: Request, _ context: RegulatorRequestContext, proposals: ProposalsController) async throws -> Response {
        let p = try await proposals.visible(context)
        let form = try await ConsoleForm(request)
        guard let verdict = form.text("decision").flatMap(ProposalVerdict.init(rawValue:)) else {
            throw APIError(.badRequest, "the form names no decision; reload the page and use one of its forms")
        }
        var until: CivilDate?
        if let text = form.text("until") {
            guard let day = CivilDate(isoText: text) else { throw APIError(.badRequest, "the day must be written as YYYY-MM-DD; got \(text)") }
            until = day
        }
        _ = try await proposals.record(verdict, until: until, reason: form.text("reason"), on: p, by: try context.requireIdentity())
        return ConsolePage.redirect(to: "/console/proposals/\(p.platformID)/\(p.caseID)")
    }

    static func form(_ verdict: ProposalVerdict, _ p: Proposal, token: String, _ c: ConsoleRequestState) -> HTML {
        let v = verdict.rawValue
        let reason: HTML = """
            <label for="reason-\(v)">\(c.t(.reason))</label>
            <input type="text" id="reason-\(v)" name="reason" required>
            """
        let fields: HTML
        switch verdict {
        case .confirm: fields = .empty
        case .defer: fields = """
            <label for="until-\(v)">\(c.t(.until))</label>
            <input type="date" id="until-\(v)" name="until" required>
            \(reason)
            """
        case .cancel: fields = reason
        }
        let confirm: HTML = verdict == .confirm ? " data-confirm=\"\(c.t(.confirmSuspend))\"" : .empty
        return """
            <form method="post" action="/console/proposals/\(p.platformID)/\(p.caseID)" class="step" id="form-\(v)"\(confirm)>
            <h3>\(verdictName(verdict, c))</h3>
            <input type="hidden" name="\(ConsoleCSRF.field)" value="\(token)">
            <input type="hidden" name="decision" value="\(v)">
            \(fields)
            <div><button type="submit" id="decide-\(v)">\(verdictName(verdict, c))</button></div>
            </form>
            """
    }

    /// The lead's evidence as one line per item: field, found, source.
    static func evidenceText(_ evidence: JSONValue?) -> String {
        guard case .array(let items)? = evidence else { return "" }
        return items.map { e in
            [e["field"]?.stringValue, e["found"]?.stringValue, e["source"]?.stringValue].compactMap { $0 }.joined(separator: " · ")
        }.joined(separator: "；")
    }

    static func stepName(_ kind: String, _ c: ConsoleRequestState) -> String {
        switch kind {
        case "suspend": return c.t(.stepSuspend)
        case "terminate": return c.t(.stepTerminate)
        case "takedown": return c.t(.stepTakedown)
        default: return kind
        }
    }

    static func state(_ p: Proposal, _ c: ConsoleRequestState) -> String {
        let zh = ["pending": "待确认", "deferred": "暂缓", "confirmed": "已确认", "cancelled": "不予采取", "lapsed": "已失效（案件已结束）"]
        let name = c.language == .zh ? zh[p.state] ?? p.state : p.state
        return name + (p.deferredUntil.map { " → \($0)" } ?? "")
    }

    static func verdictName(_ verdict: ProposalVerdict, _ c: ConsoleRequestState) -> String {
        switch verdict {
        case .confirm: return c.t(.decideConfirm)
        case .defer: return c.t(.decideDefer)
        case .cancel: return c.t(.decideCancel)
        }
    }
}
