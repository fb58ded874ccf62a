import Foundation
import Hummingbird

/// Several art. 33 recommendations decided at once with the same decision and note, from the
/// queue, through a preview (`ConsoleBulk`) that shows per row whether the rule allows the
/// decision there (`Art33Wording.unavailable`, the reason in the reader's language) and which
/// `determination` directive goes to which platform; each row recorded by
/// `DeterminationsController.record`, the API's own path, which applies the rule again.
enum DeterminationsBulk {
    struct Asked: ConsoleBulk.Decision {
        var decision: Art33Decision
        /// nil: each recommendation's own education note (the pack's).
        var note: String?

        init(_ form: ConsoleForm) throws {
            guard let decision = form.text("decision").flatMap(Art33Decision.init(rawValue:)) else {
                throw APIError(.badRequest, "choose the decision for the ticked recommendations")
            }
            self.decision = decision
            note = decision.educates ? form.text("note") : nil
        }

        var hidden: [(name: String, value: String)] {
            [(name: "decision", value: decision.rawValue)] + (note.map { [(name: "note", value: $0)] } ?? [])
        }
    }

    static func fields(_ c: ConsoleRequestState) -> HTML {
        HTML(joining: [
            ConsoleField.select("decision", c.t(.decideSelected), form: "bulk", options: Art33Decision.allCases.map {
                (value: $0.rawValue, label: Art33Wording.decision($0, c))
            }, selected: Art33Decision.noPenalty.rawValue),
            ConsoleField.textarea("note", c.t(.educationNote), form: "bulk", rows: 3),
        ])
    }

    static func line(_ rec: Recommendation, _ asked: Asked, _ c: ConsoleRequestState, refusal: String?) -> ConsoleBulk.Line {
        let directive = asked.decision.educates
            ? "determination → \(rec.platformID): \(asked.note ?? rec.educationNote ?? "")" : c.t(.nothingSent)
        return ConsoleBulk.Line(row: .init(platform: rec.platformID, caseID: rec.caseID), uscc: rec.uscc,
                                what: Art33Wording.decision(asked.decision, c), directive: directive, refusal: refusal)
    }

    /// The ticked rows' recommendations, as `DeterminationsController.visible` finds one.
    static let finder = ConsoleBulk.Finder<Recommendation>(
        find: { s, rows in try s.recommendations(cases: rows.map { ($0.platform, $0.caseID) }) },
        uscc: \.uscc, notFound: { DeterminationsController.notFound(platform: $0.platform, caseID: $0.caseID) })

    /// POST /console/determinations/bulk/preview (`confirming` false): per row, what the decision
    /// does or why the rule refuses it; POST /console/determinations/bulk: the previewed rows,
    /// each decided through the API's path (which applies the rule again).
    static func answer(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore,
                       determinations: DeterminationsController, confirming: Bool) async throws -> Response {
        let c = context.console
        let identity = try context.requireIdentity()
        return try await ConsoleBulk.answer(request, context, store: store, queue: "/console/determinations", confirming: confirming,
                                            decision: { try Asked($0) }, finder: finder) { row, rec, asked in
            let why = Art33Wording.unavailable(asked.decision, on: rec, c)
            guard confirming else { return line(rec, asked, c, refusal: why) }
            if let why { throw APIError(.conflict, why) }
            _ = try await determinations.record(asked.decision, note: asked.note, on: rec, by: identity)
            return line(rec, asked, c, refusal: nil)
        }
    }
}
