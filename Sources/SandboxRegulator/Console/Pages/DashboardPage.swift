import Foundation
import Hummingbird
import SandboxCore

/// 工作概览: the seed's outcome figures for a period and region (the report of
/// GET /v1/admin/reports/outcomes, same store query and same region rule — a district sees its
/// own division), the last six months of the period as an SVG bar chart, and what is due today:
/// the overdue leads in the caller's jurisdiction, and each platform's sync health (the platforms
/// an officer depends on for fresh data). For the city, auditors and districts.
enum DashboardPage {
    /// Months in the chart (read together, StoreSession.outcomeTrend).
    static let months = 6

    static func answer(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore,
                       platformHealth: ConsoleRoutes.PlatformHealthSource) async throws -> Response {
        let c = context.console
        let today = CivilDate(unixTime: Timestamp.now())
        guard let (from, to) = OutcomeReport.period(from: QueryParameters.text(request, "from"), to: QueryParameters.text(request, "to"),
                                                    today: today) else {
            throw APIError(.badRequest, "the period's days must be YYYY-MM-DD with the first on or before the last; leave them empty for this year")
        }
        let identity = try context.requireIdentity()
        let region = try ReportsController.region(asked: QueryParameters.text(request, "region"), by: identity)
        let jurisdiction = try context.scope()
        let periods = monthsEnding(to, notBefore: from)
        let (report, trend, due) = try await store.read { s in
            let now = Timestamp.now()
            let report = try s.outcomes(from: from, to: to, region: region, now: now)
            let trend = try s.outcomeTrend(periods, region: region)
            let due = try s.leads(LeadFilter(jurisdiction: jurisdiction, pending: true), today: today, limit: 500).filter(\.overdue)
            return (report, trend, due)
        }
        let platforms = try await platformHealth(Timestamp.now())
        let platformRows: [[HTML]] = platforms.map { p in
            let state: HTML = p.state == "ok" ? "\(c.t(.syncOK))" : "<strong class=\"error\">\(p.state == "silent" ? c.t(.syncSilent) : c.t(.syncNever))</strong>"
            return ["\(p.platformID)", state, "\(p.lastContactAt.map(UTCTime.rfc3339) ?? "—")", "\(p.lastBatchAt.map(UTCTime.rfc3339) ?? "—")",
                    "\(p.itemsAccepted)", "\(p.directivesAwaitingReceipt)", "\(p.oldestAwaitingSince.map(UTCTime.rfc3339) ?? "—")"]
        }
        func label(_ key: String) -> String {
            c.language == .zh ? OutcomeReport.labels[key] ?? key : key.replacingOccurrences(of: "_", with: " ")
        }
        let figures: [[HTML]] = report.rows.map { key, value in ["\(label(key))", "\(value.map(String.init) ?? "—")"] }
        let chart = TrendChart(caption: c.t(.trendCaption), labels: periods.map { String(format: "%04d-%02d", $0.from.year, $0.from.month) },
                               series: [
                                   .init(name: label("leads"), colour: "#8b0000", values: trend.map(\.leads)),
                                   .init(name: label("rectified"), colour: "#1a5fb4", values: trend.map(\.rectified)),
                                   .init(name: label("leads_closed"), colour: "#0a6b2d", values: trend.map(\.leadsClosed)),
                               ])
        let dueRows: [[HTML]] = due.prefix(50).map { lead in
            ["<a href=\"/console/leads/\(lead.platformID)/\(lead.caseID)\">\(lead.caseID)</a>",
             lead.uscc.map { "<a href=\"/console/enterprises/\($0)\">\($0)</a>" } ?? "",
             "\(lead.ruleTitle ?? lead.ruleID)", "\(lead.deadline ?? "")", "\(LeadsPage.stageName(lead.stage, c))"]
        }
        let body: HTML = """
            <h1>\(c.t(.dashboard))</h1>
            <form method="get" action="/console/dashboard">
            <label for="from">\(c.t(.periodFrom))</label>
            <input type="text" id="from" name="from" value="\(from.description)" pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}">
            <label for="to">\(c.t(.periodTo))</label>
            <input type="text" id="to" name="to" value="\(to.description)" pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}">
            <label for="region">\(c.t(.region)) — \(c.t(.regionHint))</label>
            <input type="text" id="region" name="region" value="\(region ?? "")" inputmode="numeric">
            <div><button type="submit">\(c.t(.show))</button></div>
            </form>
            <h2>\(c.t(.dueToday)) (\(due.count))</h2>
            \(ConsoleTable(caption: c.t(.overdueLeads), headers: [c.t(.caseID), c.t(.uscc), c.t(.rule), c.t(.deadline), c.t(.leadStage)],
                           rows: dueRows).html(c))
            <h2>\(c.t(.platformSync))</h2>
            \(ConsoleTable(caption: c.t(.platformSync), headers: [c.t(.platform), c.t(.status), c.t(.lastContact), c.t(.lastBatch),
                                                              c.t(.itemsAccepted), c.t(.awaitingReceipt), c.t(.oldestAwaiting)],
                           rows: platformRows).html(c))
            <h2>\(c.t(.figures)) \(report.from) – \(report.to)\(region.map { " · \($0)" } ?? "")</h2>
            \(ConsoleTable(caption: c.t(.figures), headers: [c.t(.figure), c.t(.value)], rows: figures).html(c))
            \(report.sandboxMembersUndecided > 0
                ? "<p id=\"roster-undecided\" role=\"status\">\(c.t(.rosterUndecided)): \(report.sandboxMembersUndecidedIsMore ? "\(c.t(.moreThan)) " : "")\(report.sandboxMembersUndecided)</p>" as HTML : HTML.empty)
            <h2>\(c.t(.trend))</h2>
            <figure>\(chart.svg())<figcaption>\(c.t(.trendCaption))</figcaption></figure>
            """
        return ConsolePage.render(title: c.t(.dashboard), body, context: context, path: "/console/dashboard")
    }

    /// Up to `months` calendar months ending with the one of `last`, each cut to [notBefore, last].
    static func monthsEnding(_ last: CivilDate, notBefore first: CivilDate) -> [(from: CivilDate, to: CivilDate)] {
        var result: [(CivilDate, CivilDate)] = []
        var year = last.year, month = last.month
        for _ in 0..<months {
            let start = CivilDate(year: year, month: month, day: 1)!
            let end = CivilDate(year: year, month: month, day: CivilDate.daysIn(month: month, year: year))!
            if end < first { break }
            result.append((max(start, first), min(end, last)))
            month -= 1
            if month == 0 { month = 12; year -= 1 }
        }
        return result.reversed()
    }
}
