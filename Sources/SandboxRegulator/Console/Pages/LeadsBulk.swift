import Foundation
import Hummingbird

/// Several leads assigned to one officer at once, from the lead queue, through a preview
/// (`ConsoleBulk`); each row recorded by `LeadsController.record`, the API's own path (the order
/// of the work, the assignee's district). An assignment sends nothing to the platforms.
enum LeadsBulk {
    static func fields(_ c: ConsoleRequestState) -> HTML {
        ConsoleField.text("assignee", "\(c.t(.assignSelected)): \(c.t(.assignee))", form: "bulk", required: false)
    }

    /// The officer the ticked leads go to.
    struct Asked: ConsoleBulk.Decision {
        var assignee: String

        init(_ form: ConsoleForm) throws {
            guard let assignee = form.text("assignee") else {
                throw APIError(.badRequest, "write the username of the officer to assign the ticked leads to")
            }
            self.assignee = assignee
        }

        var hidden: [(name: String, value: String)] { [(name: "assignee", value: assignee)] }
    }

    static func line(_ lead: Lead, assignee: String, _ c: ConsoleRequestState, refusal: String?) -> ConsoleBulk.Line {
        ConsoleBulk.Line(row: .init(platform: lead.platformID, caseID: lead.caseID), uscc: lead.uscc,
                         what: "\(LeadsPage.actionName(.assign, c)) → \(assignee)", directive: c.t(.nothingSent), refusal: refusal)
    }

    /// The ticked rows' leads, as `LeadsController.visibleLead` finds one.
    static let finder = ConsoleBulk.Finder<Lead>(
        find: { s, rows in try s.leads(cases: rows.map { ($0.platform, $0.caseID) }, today: LeadsController.today()) },
        uscc: \.uscc, notFound: { LeadsController.notFound(platform: $0.platform, caseID: $0.caseID) })

    /// POST /console/leads/bulk/preview (`confirming` false): per row, the assignment or why the
    /// lead's stage refuses it — the assignee checked once, as the API checks it; POST
    /// /console/leads/bulk: the previewed rows, each assigned through the API's path.
    static func answer(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore,
                       leads: LeadsController, confirming: Bool) async throws -> Response {
        let c = context.console
        let identity = try context.requireIdentity()
        return try await ConsoleBulk.answer(request, context, store: store, queue: "/console/leads", confirming: confirming,
                                            decision: { form in
            let asked = try Asked(form)
            try await leads.checkAssignee(asked.assignee, by: identity)
            return asked
        }, finder: finder) { row, lead, asked in
            guard confirming else {
                return line(lead, assignee: asked.assignee, c,
                            refusal: LeadAction.assign.allowedFrom.contains(lead.stage) ? nil : c.t(.stageRefusesAssign))
            }
            _ = try await leads.record(LeadStep(action: .assign, assignee: asked.assignee), on: lead, by: identity)
            return line(lead, assignee: asked.assignee, c, refusal: nil)
        }
    }
}
