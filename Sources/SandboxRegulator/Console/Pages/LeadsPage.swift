import Foundation
import Hummingbird
import SandboxCore

/// 线索工作队列: the leads of the caller's jurisdiction still to be worked, overdue first (the
/// queue of GET /v1/admin/leads), and one lead with its steps and a form for each step that may
/// follow its stage — 分派, 核查, 立案, 不予立案, 移送, 结案 — recorded through the API's own
/// `LeadsController.record` (the order of the work, the assignee's district, the audit).
enum LeadsPage {
    static func queue(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore) async throws -> Response {
        let c = context.console
        let jurisdiction = try context.scope()
        let today = LeadsController.today()
        let leads = try await store.read { try $0.leads(LeadFilter(jurisdiction: jurisdiction, pending: true), today: today, limit: 500) }
        let headers = [c.t(.caseID), c.t(.platform), c.t(.uscc), c.t(.rule), c.t(.deadline), c.t(.overdue), c.t(.leadStage), c.t(.officer)]
        if let format = try ExportFormat.asked(request) {
            return format.response(headers: headers, rows: leads.map { lead in
                [lead.caseID, lead.platformID, lead.uscc ?? "", lead.ruleTitle ?? lead.ruleID, lead.deadline ?? "",
                 lead.overdue ? c.t(.yes) : c.t(.no), stageName(lead.stage, c), lead.assignee ?? ""]
            }, name: "leads")
        }
        let rows: [[HTML]] = leads.map { lead in
            ["<a href=\"/console/leads/\(lead.platformID)/\(lead.caseID)\">\(lead.caseID)</a>", "\(lead.platformID)",
             lead.uscc.map { "<a href=\"/console/enterprises/\($0)\">\($0)</a>" } ?? "",
             "\(lead.ruleTitle ?? lead.ruleID)", "\(lead.deadline ?? "")",
             lead.overdue ? "<strong class=\"error\">\(c.t(.overdue))</strong>" : "",
             "\(stageName(lead.stage, c))", "\(lead.assignee ?? "")"]
        }
        let table = try ConsoleBulk.queueTable(context, caption: c.t(.leadQueue), headers: headers, rows: rows,
                                               cases: leads.map { .init(platform: $0.platformID, caseID: $0.caseID) },
                                               queue: "/console/leads", fields: LeadsBulk.fields(c))
        let body: HTML = """
            <h1>\(c.t(.leadQueue)) (\(leads.count))</h1>
            \(ExportFormat.links(request, c))
            \(table)
            """
        return ConsolePage.render(title: c.t(.leadQueue), body, context: context, path: "/console/leads")
    }

    static func detail(_ context: RegulatorRequestContext, leads: LeadsController) async throws -> Response {
        let c = context.console
        let lead = try await leads.visibleLead(context)
        let steps: [[HTML]] = lead.steps.map { s in
            let penalty = s.step.penaltyFen.map { Self.yuan($0) }
            let detail = [s.step.assignee, s.step.note, s.step.transferredTo, s.step.measure, penalty].compactMap { $0 }.joined(separator: " · ")
            return ["\(s.at)", "\(actionName(s.step.action, c))", "\(s.officer)", "\(detail)", "\(stageName(s.stageAfter, c))"]
        }
        let mayRecord = try context.requireIdentity().role.map { $0 == .city || $0 == .district } ?? false
        let forms: HTML
        if lead.stage.isFinal {
            forms = "<p>\(c.t(.noActionLeft))</p>"
        } else if mayRecord, let token = c.csrfToken {
            let next = LeadAction.allCases.filter { $0.allowedFrom.contains(lead.stage) }
            forms = HTML(joining: next.map { form($0, lead: lead, token: token, c) })
        } else {
            forms = .empty
        }
        let body: HTML = """
            <h1>\(c.t(.leadDetail)) \(lead.caseID)</h1>
            <dl class="facts">
            <dt>\(c.t(.platform))</dt><dd>\(lead.platformID)</dd>
            <dt>\(c.t(.uscc))</dt><dd>\(lead.uscc.map { "<a href=\"/console/enterprises/\($0)\">\($0)</a>" as HTML } ?? .empty)</dd>
            <dt>\(c.t(.rule))</dt><dd>\(lead.ruleTitle ?? lead.ruleID)</dd>
            <dt>\(c.t(.deadline))</dt><dd>\(lead.deadline ?? "")\(lead.overdue ? " · \(c.t(.overdue))" : "")</dd>
            <dt>\(c.t(.leadStage))</dt><dd id="stage">\(stageName(lead.stage, c))</dd>
            <dt>\(c.t(.officer))</dt><dd>\(lead.assignee ?? "")</dd>
            </dl>
            <h2>\(c.t(.steps))</h2>
            \(ConsoleTable(caption: c.t(.steps), headers: [c.t(.updated), c.t(.action), c.t(.officer), c.t(.note), c.t(.leadStage)],
                           rows: steps).html(c))
            \(forms)
            """
        return ConsolePage.render(title: "\(c.t(.leadDetail)) \(lead.caseID)", body, context: context,
                                  path: "/console/leads/\(lead.platformID)/\(lead.caseID)")
    }

    /// POST /console/leads/{platform}/{case}/steps: the form's fields as a `LeadStep`.
    static func record(_ request: Request, _ context: RegulatorRequestContext, leads: LeadsController) async throws -> Response {
        let lead = try await leads.visibleLead(context)
        let form = try await ConsoleForm(request)
        guard let action = form.text("action").flatMap(LeadAction.init(rawValue:)) else {
            throw APIError(.badRequest, "the form names no step; reload the lead's page and use one of its forms")
        }
        var penalty: Int64?
        if let text = form.text("penalty_yuan") {
            guard let fen = fen(text) else {
                throw APIError(.badRequest, "the penalty must be an amount in yuan such as 2000 or 1500.50; got \(text)")
            }
            penalty = fen
        }
        let step = LeadStep(action: action, assignee: form.text("assignee"), note: form.text("note"),
                            transferredTo: form.text("transferred_to"), measure: form.text("measure"),
                            penaltyFen: penalty ?? (action == .close ? 0 : nil))
        _ = try await leads.record(step, on: lead, by: try context.requireIdentity())
        return ConsolePage.redirect(to: "/console/leads/\(lead.platformID)/\(lead.caseID)")
    }

    static func form(_ action: LeadAction, lead: Lead, token: String, _ c: ConsoleRequestState) -> HTML {
        let a = action.rawValue
        func field(_ name: String, _ label: ConsoleText, required: Bool = true) -> HTML {
            """
            <label for="\(name)-\(a)">\(c.t(label))</label>
            <input type="text" id="\(name)-\(a)" name="\(name)"\(required ? " required" as HTML : .empty)>
            """
        }
        let fields: HTML
        switch action {
        case .assign: fields = field("assignee", .assignee)
        case .verify, .file, .notFile: fields = field("note", .note)
        case .transfer: fields = HTML(joining: [field("transferred_to", .transferredTo), field("note", .note, required: false)])
        case .close: fields = HTML(joining: [field("measure", .measure), field("penalty_yuan", .penaltyYuan, required: false),
                                             field("note", .note, required: false)])
        }
        let confirm: HTML = action == .close ? " data-confirm=\"\(c.t(.confirmClose))\"" : .empty
        return """
            <form method="post" action="/console/leads/\(lead.platformID)/\(lead.caseID)/steps" class="step" id="form-\(a)"\(confirm)>
            <h3>\(actionName(action, c))</h3>
            <input type="hidden" name="\(ConsoleCSRF.field)" value="\(token)">
            <input type="hidden" name="action" value="\(a)">
            \(fields)
            <div><button type="submit" id="record-\(a)">\(c.t(.record)): \(actionName(action, c))</button></div>
            </form>
            """
    }

    /// "1500.50" → 150050 fen; nil for anything but a non-negative amount with at most 2 decimals.
    static func fen(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int64(parts[0]), whole >= 0, whole < 1_000_000_000_000,
              parts[0].allSatisfy(\.isASCII) else { return nil }
        var cents: Int64 = 0
        if parts.count == 2 {
            guard (1...2).contains(parts[1].count), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let d = Int64(parts[1]) else { return nil }
            cents = parts[1].count == 1 ? d * 10 : d
        }
        return whole * 100 + cents
    }

    static func yuan(_ fen: Int64) -> String { "\(fen / 100).\(String(format: "%02d", fen % 100)) 元" }

    static func stageName(_ stage: LeadStage, _ c: ConsoleRequestState) -> String {
        let zh: String
        switch stage {
        case .new: zh = "新线索"
        case .assigned: zh = "已分派"
        case .verified: zh = "已核查"
        case .filed: zh = "已立案"
        case .notFiled: zh = "不予立案"
        case .transferred: zh = "已移送"
        case .closed: zh = "已结案"
        }
        return c.language == .zh ? zh : stage.rawValue.replacingOccurrences(of: "_", with: " ")
    }

    static func actionName(_ action: LeadAction, _ c: ConsoleRequestState) -> String {
        switch action {
        case .assign: return c.t(.actAssign)
        case .verify: return c.t(.actVerify)
        case .file: return c.t(.actFile)
        case .notFile: return c.t(.actNotFile)
        case .transfer: return c.t(.actTransfer)
        case .close: return c.t(.actClose)
        }
    }
}
