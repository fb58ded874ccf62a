import Foundation
import Hummingbird
import SandboxCore
import SandboxPolicy

/// Several proposed suspensions or terminations decided at once — confirmed, deferred to a day or
/// not taken, with one reason — from the proposals queue, through a preview (`ConsoleBulk`);
/// each row recorded by `ProposalsController.record`, the API's own path, which sends the
/// `confirmation` directive to the case's platform.
enum ProposalsBulk {
    struct Asked: ConsoleBulk.Decision {
        var verdict: ProposalVerdict
        var until: CivilDate?
        var reason: String?

        init(_ form: ConsoleForm) throws {
            guard let verdict = form.text("decision").flatMap(ProposalVerdict.init(rawValue:)) else {
                throw APIError(.badRequest, "choose the decision (confirm, defer or cancel) for the ticked rows")
            }
            self.verdict = verdict
            reason = form.text("reason")
            if verdict != .confirm, reason == nil {
                throw APIError(.badRequest, "deferring or not taking a step needs its reason; write it and preview again")
            }
            if verdict == .defer {
                guard let text = form.text("until"), let day = CivilDate(isoText: text) else {
                    throw APIError(.badRequest, "deferring needs the day to defer to, as YYYY-MM-DD")
                }
                until = day
            }
        }

        var hidden: [(name: String, value: String)] {
            [(name: "decision", value: verdict.rawValue)] + (until.map { [(name: "until", value: $0.description)] } ?? [])
                + (reason.map { [(name: "reason", value: $0)] } ?? [])
        }
    }

    static func fields(_ c: ConsoleRequestState) -> HTML {
        HTML(joining: [
            ConsoleField.select("decision", c.t(.decideSelected), form: "bulk", options: ProposalVerdict.allCases.map {
                (value: $0.rawValue, label: ProposalsPage.verdictName($0, c))
            }, selected: ProposalVerdict.confirm.rawValue),
            ConsoleField.text("until", c.t(.until), form: "bulk", required: false, type: "date"),
            ConsoleField.text("reason", c.t(.reason), form: "bulk", required: false),
        ])
    }

    static func line(_ p: Proposal, _ asked: Asked, _ c: ConsoleRequestState, refusal: String?) -> ConsoleBulk.Line {
        let what = "\(ProposalsPage.verdictName(asked.verdict, c)) · \(ProposalsPage.stepName(p.kind, c))"
            + (asked.until.map { " → \($0)" } ?? "")
        return ConsoleBulk.Line(row: .init(platform: p.platformID, caseID: p.caseID), uscc: p.uscc, what: what,
                                directive: "confirmation → \(p.platformID)", refusal: refusal)
    }

    /// The ticked rows' proposals, as `ProposalsController.visible` finds one.
    static let finder = ConsoleBulk.Finder<Proposal>(
        find: { s, rows in try s.proposals(cases: rows.map { ($0.platform, $0.caseID) }, today: LeadsController.today()) },
        uscc: \.uscc, notFound: { ProposalsController.notFound(platform: $0.platform, caseID: $0.caseID) })

    /// POST /console/proposals/bulk/preview (`confirming` false): what each ticked row will do,
    /// nothing recorded; POST /console/proposals/bulk: the previewed rows, each decided through
    /// the API's path.
    static func answer(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore,
                       proposals: ProposalsController, confirming: Bool) async throws -> Response {
        let c = context.console
        let identity = try context.requireIdentity()
        return try await ConsoleBulk.answer(request, context, store: store, queue: "/console/proposals", confirming: confirming,
                                            decision: { try Asked($0) }, finder: finder) { row, p, asked in
            guard confirming else {
                let waiting = p.decision == nil
                    && (p.state == CaseProposal.State.pending.rawValue || p.state == CaseProposal.State.deferred.rawValue)
                return line(p, asked, c, refusal: waiting ? nil : c.t(.proposalDecided))
            }
            _ = try await proposals.record(asked.verdict, until: asked.until, reason: asked.reason, on: p, by: identity)
            return line(p, asked, c, refusal: nil)
        }
    }
}
