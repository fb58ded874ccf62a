import Foundation
import Hummingbird
import SandboxCore
import SandboxPolicy

/// 一户一档: one enterprise's file — its registry identity, every storefront on every platform
/// with the platform's class, its sandbox standing as the regulator decided it (and why not,
/// when not), findings, cases and the bureaus' work on their leads, instructions and prompts,
/// credit repairs; and what the regulator did and what came of it (EnterpriseHistory: directives
/// and their receipts, the agents' instructions' receipts, art. 33 decisions, inspections, roster
/// decisions) in a timeline. The same profile and the same jurisdiction check as
/// GET /v1/admin/merchants/{uscc}: outside the caller's jurisdiction it is the 404 of a USCC
/// never filed, audited as denied by `StaffGate`, which also audits every view.
struct EnterprisePage {
    let profile: MerchantProfile
    let history: EnterpriseHistory
    let c: ConsoleRequestState

    static func answer(_ context: RegulatorRequestContext, store: RegulatorStore) async throws -> Response {
        let uscc = context.parameters.get("uscc") ?? ""
        try await context.requireJurisdiction(over: uscc, store: store, denied: JurisdictionDenied(uscc: uscc))
        let now = Timestamp.now()
        // One read: the profile, then its timeline by the same USCC and its instructions' ids.
        guard let (profile, timeline) = try await store.read({ s -> (MerchantProfile, EnterpriseTimeline)? in
            guard let profile = try s.profile(uscc: uscc, now: now) else { return nil }
            let instructions = profile.instructions.map { (platformID: $0.platformID, id: $0.key) }
            return (profile, try s.enterpriseTimeline(uscc: uscc, instructions: instructions))
        }) else {
            throw APIError(.notFound, "nothing is filed under USCC \(uscc)")
        }
        let role = context.identity?.role
        let page = EnterprisePage(profile: profile, history: EnterpriseHistory(profile: profile, timeline: timeline, role: role, now: now,
                                                                               c: context.console), c: context.console)
        return ConsolePage.render(title: page.name, page.body, context: context, path: "/console/enterprises/\(uscc)")
    }

    /// The registered name, else a shop name, else the code.
    var name: String {
        profile.identity["name"]?.stringValue ?? profile.sandbox?.name
            ?? profile.storefronts.lazy.compactMap { $0.data["shop_name"]?.stringValue }.first ?? profile.uscc
    }

    var body: HTML {
        """
        <h1>\(c.t(.enterprise)): \(name)</h1>
        <p>\(c.t(.uscc)): <span class="uscc">\(profile.uscc)</span></p>
        <h2>\(c.t(.identity))</h2>
        \(identity)
        <h2>\(c.t(.standing))</h2>
        \(standing)
        <h2>\(c.t(.storefronts))</h2>
        \(storefronts)
        <h2>\(c.t(.findings))</h2>
        \(findings)
        <h2>\(c.t(.cases))</h2>
        \(cases)
        <h2>\(c.t(.leads))</h2>
        \(leads)
        \(history.html)
        <h2>\(c.t(.instructions))</h2>
        \(records(profile.instructions, caption: c.t(.instructions), receipts: true))
        <h2>\(c.t(.prompts))</h2>
        \(records(profile.prompts, caption: c.t(.prompts)))
        <h2>\(c.t(.repairs))</h2>
        \(repairs)
        """
    }

    var identity: HTML {
        guard case .object(let o) = profile.identity else { return "<p>\(c.t(.notInRegistry))</p>" }
        func flag(_ key: String) -> String {
            guard case .bool(let b)? = o[key] else { return "" }
            return b ? c.t(.yes) : c.t(.no)
        }
        let facts: [(ConsoleText, String)] = [
            (.enterpriseName, o["name"]?.stringValue ?? ""), (.legalRepresentative, o["legal_representative"]?.stringValue ?? ""),
            (.address, o["address"]?.stringValue ?? ""), (.registrationStatus, o["registration_status"]?.stringValue ?? ""),
            (.abnormalList, flag("abnormal_list")), (.seriousViolationList, flag("serious_violation_list")),
        ]
        return "<dl class=\"facts\">\(HTML(joining: facts.map { "<dt>\(c.t($0.0))</dt><dd>\($0.1)</dd>" }))</dl>"
    }

    var standing: HTML {
        guard let s = profile.sandbox else { return "<p class=\"none\">\(c.t(.nothingYet))</p>" }
        let verdict: HTML = s.member
            ? "<p class=\"member\">\(c.t(.member))\(s.memberSince.map { " · \(c.t(.memberSince)) \($0)" } ?? "")</p>"
            : "<p class=\"not-member\">\(c.t(.notMember))</p>"
        let reasons: HTML = s.notMemberBecause.isEmpty ? .empty
            : "<p>\(c.t(.notMemberBecause)):</p><ul id=\"reasons\">\(HTML(joining: s.notMemberBecause.map { "<li>\(RosterReasonText.text($0, c))</li>" }))</ul>"
        let overrides: HTML = s.overrides.isEmpty ? .empty
            : "<p>\(c.t(.overrides)): \(s.overrides.count)</p>"
        // The roster decision's own page is for the roles that read the roster.
        let link: HTML = history.role == .association ? .empty
            : "<p><a href=\"/console/roster/\(profile.uscc)\">\(c.t(.rosterEntry))</a></p>"
        return HTML(joining: [verdict, reasons, overrides, link])
    }

    var storefronts: HTML {
        // The platform's class and roster decision for each storefront, from the roster view.
        var decisions: [String: RosterDecision] = [:]
        for d in profile.sandbox?.platforms ?? [] { decisions[d.platformID + "\u{0}" + d.platformMerchantID] = d }
        let rows: [[HTML]] = profile.storefronts.map { r in
            let id = r.data["platform_merchant_id"]?.stringValue ?? r.key
            let d = decisions[r.platformID + "\u{0}" + id]
            let standing = d.map { $0.member ? c.t(.member) : c.t(.notMember) } ?? ""
            return ["\(r.platformID)", "\(id)", "\(r.data["shop_name"]?.stringValue ?? "")",
                    "\(r.data["region_code"]?.stringValue ?? "")", "\(d?.creditClass ?? "")", "\(standing)", "\(r.updatedAt)"]
        }
        return ConsoleTable(caption: c.t(.storefronts),
                            headers: [c.t(.platform), c.t(.merchantID), c.t(.shopName), c.t(.storefrontRegion), c.t(.creditClass),
                                      c.t(.standing), c.t(.updated)], rows: rows).html(c)
    }

    var findings: HTML {
        var rows: [[HTML]] = []
        for (platform, value) in profile.findings.sorted(by: { $0.key < $1.key }) {
            guard case .array(let items) = value else { continue }
            for item in items {
                let rule = item["rule_id"]?.stringValue ?? item["code"]?.stringValue ?? ""
                let text = item["title"]?.stringValue ?? item["message"]?.stringValue ?? item.jsonText
                rows.append(["\(platform)", "\(rule)", "\(text)"])
            }
        }
        return ConsoleTable(caption: c.t(.findings), headers: [c.t(.platform), c.t(.rule), c.t(.findings)], rows: rows).html(c)
    }

    var cases: HTML {
        let rows: [[HTML]] = profile.cases.map { k in
            let path = "\(k.platformID)/\(k.caseID)"
            // The pages a case has: its lead always; a proposed step's and an art. 33
            // recommendation's when the agent made one.
            var pages: [HTML] = ["<a href=\"/console/leads/\(path)\">\(c.t(.leadDetail))</a>"]
            if k.data["proposal"]?.objectValue != nil { pages.append("<a href=\"/console/proposals/\(path)\">\(c.t(.proposalDetail))</a>") }
            if ["no_penalty", "may_not_penalize"].contains(k.data["determination"]?["result"]?.stringValue ?? "") {
                pages.append("<a href=\"/console/determinations/\(path)\">\(c.t(.determinationDetail))</a>")
            }
            return ["\(k.platformID)", "\(k.caseID)", "\(k.ruleID)", "\(k.state)", "\(k.data["deadline"]?.stringValue ?? "")", "\(k.updatedAt)",
                    HTML(joining: pages.map { "\($0) " })]
        }
        return ConsoleTable(caption: c.t(.cases),
                            headers: [c.t(.platform), "ID", c.t(.rule), c.t(.caseState), c.t(.deadline), c.t(.updated), c.t(.pages)],
                            rows: rows).html(c)
    }

    var leads: HTML {
        let rows: [[HTML]] = profile.leads.map { l in
            let last = l.steps.last
            let outcome = [last?.step.measure, last?.step.penaltyFen.map { String(format: "%.2f 元", Double($0) / 100) }, last?.step.note]
                .compactMap { $0 }.joined(separator: " · ")
            return ["\(l.platformID)", ConsoleCell(l.caseID, href: "/console/leads/\(l.platformID)/\(l.caseID)").html, "\(l.ruleTitle ?? l.ruleID)", "\(l.stage.rawValue)", "\(l.assignee ?? last?.officer ?? "")",
                    "\(outcome)", "\(l.stageSince ?? "")"]
        }
        return ConsoleTable(caption: c.t(.leads),
                            headers: [c.t(.platform), "ID", c.t(.rule), c.t(.leadStage), c.t(.officer), c.t(.decisions), c.t(.updated)],
                            rows: rows).html(c)
    }

    /// Instructions or prompts as the agents filed them; with `receipts`, what the platform
    /// answered to each (the newest receipt, from the timeline's reads).
    func records(_ list: [StoredRecord], caption: String, receipts: Bool = false) -> HTML {
        let rows: [[HTML]] = list.map { r in
            let kind = r.data["type"]?.stringValue ?? r.data["kind"]?.stringValue ?? r.data["action"]?.stringValue ?? ""
            let text = r.data["title"]?.stringValue ?? r.data["text"]?.stringValue ?? r.data["reason"]?.stringValue ?? ""
            var row: [HTML] = ["\(r.platformID)", "\(r.key)", "\(DirectiveWording.type(kind, c))", "\(text)", "\(r.updatedAt)"]
            if receipts {
                let last = history.timeline.instructionReceipts[EnterpriseTimeline.key(r.platformID, r.key)]?.last
                row.append("\(last.map { r in "\(DirectiveWording.receipt(r.action, c)) \(r.at)\(r.note.map { "：\($0)" } ?? "")" } ?? "")")
            }
            return row
        }
        let headers = [c.t(.platform), "ID", c.t(.kind), c.t(.about), c.t(.updated)] + (receipts ? [c.t(.receiptState)] : [])
        return ConsoleTable(caption: caption, headers: headers, rows: rows).html(c)
    }

    var repairs: HTML {
        let rows: [[HTML]] = profile.repairs.map { r in
            ["\(r.id)", "\(r.list.rawValue)", "\(r.state.rawValue)", "\(r.receivedAt)", "\(r.decideBy)", "\(r.reason ?? "")"]
        }
        return ConsoleTable(caption: c.t(.repairs),
                            headers: ["ID", c.t(.kind), c.t(.repairState), c.t(.opened), c.t(.deadline), c.t(.notMemberBecause)],
                            rows: rows).html(c)
    }
}
