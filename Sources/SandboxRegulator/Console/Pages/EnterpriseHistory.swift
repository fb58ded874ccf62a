import SandboxCore

/// The part of an enterprise's file (一户一档) that says what the regulator did and what came of
/// it: one timeline, newest first, of the directives it was sent (with where their receipts
/// stand), the platforms' receipts to their agents' instructions, the bureaus' steps on its
/// leads, the officers' art. 33 decisions, the inspections of the draws and the staff's roster
/// decisions; then the directives and decisions as tables, each linked to its own page where
/// the reader's role has one.
struct EnterpriseHistory {
    let profile: MerchantProfile
    let timeline: EnterpriseTimeline
    let role: StaffRole?
    let now: Int64
    let c: ConsoleRequestState

    /// One line of the timeline.
    struct Entry {
        var at: String
        var kind: String
        var platform: String
        var about: ConsoleCell
        var detail: String
    }

    /// The directive pages are the city's and the auditors' (as GET /v1/admin/directives/{id}).
    var readsDirectives: Bool { role == .city || role == .auditor }

    func directiveCell(_ id: String) -> ConsoleCell { ConsoleCell(id, href: readsDirectives ? "/console/directives/\(id)" : nil) }

    var entries: [Entry] {
        var out: [Entry] = []
        for t in timeline.directives {
            let d = t.directive
            out.append(Entry(at: d.createdAt, kind: "\(c.t(.directive)) · \(DirectiveWording.describe(d, c))", platform: d.platformID,
                             about: directiveCell(d.id), detail: DirectiveWording.state(t, now: now, c).text))
            if let at = t.lastAt, let action = t.lastAction {
                out.append(Entry(at: UTCTime.rfc3339(at), kind: c.t(.receipts), platform: d.platformID, about: directiveCell(d.id),
                                 detail: DirectiveWording.receipt(action, c) + (t.lastNote.map { "：\($0)" } ?? "")))
            }
        }
        for i in profile.instructions {
            for r in timeline.instructionReceipts[EnterpriseTimeline.key(i.platformID, i.key)] ?? [] {
                out.append(Entry(at: r.at, kind: c.t(.receipts), platform: i.platformID, about: ConsoleCell(i.key),
                                 detail: DirectiveWording.receipt(r.action, c) + (r.note.map { "：\($0)" } ?? "")))
            }
        }
        for l in profile.leads {
            for s in l.steps {
                let detail = [s.officer, s.step.measure, s.step.note].compactMap { $0 }.joined(separator: " · ")
                out.append(Entry(at: s.at, kind: "\(c.t(.leads)) · \(LeadsPage.actionName(s.step.action, c))", platform: l.platformID,
                                 about: ConsoleCell(l.caseID, href: "/console/leads/\(l.platformID)/\(l.caseID)"), detail: detail))
            }
        }
        for d in timeline.decisions {
            out.append(Entry(at: UTCTime.rfc3339(d.decidedAt), kind: c.t(.art33Decisions), platform: d.platformID,
                             about: ConsoleCell(d.caseID, href: "/console/determinations/\(d.platformID)/\(d.caseID)"),
                             detail: [Art33Wording.decision(d.decision, c), d.decidedBy, d.note].compactMap { $0 }.joined(separator: " · ")))
        }
        for i in timeline.inspections {
            out.append(Entry(at: i.recordedAt, kind: c.t(.inspections), platform: "", about: ConsoleCell("\(c.t(.draw)) \(i.drawID)"),
                             detail: [inspection(i.result), i.followUp, i.recordedBy].compactMap { $0 }.joined(separator: " · ")))
        }
        for o in profile.sandbox?.overrides ?? [] {
            let hold = o.holdUntil.map { "\(c.t(.holdUntil)) \($0)" }
            out.append(Entry(at: o.createdAt, kind: c.t(.overrides), platform: "", about: ConsoleCell(RosterPage.overrideName(o.action, c)),
                             detail: [o.reason, o.basis, hold].compactMap { $0 }.joined(separator: " · ")))
        }
        return out.sorted { $0.at > $1.at }
    }

    func inspection(_ result: InspectionResult.Outcome) -> String {
        result == .pass ? c.t(.inspectionPass) : c.t(.inspectionProblems)
    }

    var html: HTML {
        let timelineRows: [[HTML]] = entries.map { ["\($0.at)", "\($0.kind)", "\($0.platform)", $0.about.html, "\($0.detail)"] }
        let directiveRows: [[HTML]] = timeline.directives.map { t in
            let d = t.directive
            let state = DirectiveWording.state(t, now: now, c)
            return [directiveCell(d.id).html, "\(d.platformID)", "\(DirectiveWording.describe(d, c))", "\(d.createdAt)",
                    "\(t.issuedBy ?? "")", "\(state.text)", "\(t.lastAt.map(UTCTime.rfc3339) ?? "")", "\(state.waitingDays.map { String($0) } ?? "")"]
        }
        let decisionRows: [[HTML]] = timeline.decisions.map { d in
            ["\(ConsoleCell(d.caseID, href: "/console/determinations/\(d.platformID)/\(d.caseID)").html)", "\(d.platformID)",
             "\(Art33Wording.recommendation(d.recommended, c))", "\(Art33Wording.decision(d.decision, c))", "\(d.decidedBy)",
             "\(UTCTime.rfc3339(d.decidedAt))", "\(d.note ?? "")"]
        }
        let inspectionRows: [[HTML]] = timeline.inspections.map { i in
            ["\(i.drawID)", "\(inspection(i.result))", "\(i.followUp ?? "")", "\(i.inspectors ?? "")", "\(i.recordedBy)", "\(i.recordedAt)"]
        }
        return """
            <h2 id="timeline">\(c.t(.timeline))</h2>
            \(ConsoleTable(caption: c.t(.timeline), headers: [c.t(.when), c.t(.kind), c.t(.platform), c.t(.about), c.t(.detail)],
                           rows: timelineRows).html(c))
            <h2 id="directives">\(c.t(.directivesAndReceipts))</h2>
            \(ConsoleTable(caption: c.t(.directivesAndReceipts),
                           headers: [c.t(.directive), c.t(.platform), c.t(.directiveType), c.t(.sentAt), c.t(.issuedBy), c.t(.receiptState),
                                     c.t(.receiptAt), c.t(.waitingDays)], rows: directiveRows).html(c))
            <h2 id="decisions">\(c.t(.art33Decisions))</h2>
            \(ConsoleTable(caption: c.t(.art33Decisions),
                           headers: [c.t(.caseID), c.t(.platform), c.t(.recommended), c.t(.decision), c.t(.decidedBy), c.t(.decidedAt),
                                     c.t(.educationNote)], rows: decisionRows).html(c))
            <h2 id="inspections">\(c.t(.inspections))</h2>
            \(ConsoleTable(caption: c.t(.inspections),
                           headers: [c.t(.draw), c.t(.inspectionResult), c.t(.inspectionFollowUp), c.t(.inspectors), c.t(.recordedBy), c.t(.when)],
                           rows: inspectionRows).html(c))
            """
    }
}
