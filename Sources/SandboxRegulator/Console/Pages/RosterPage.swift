import Foundation
import Hummingbird
import SandboxCore

/// 沙盒名单: the regulator's roster decision per enterprise in the caller's jurisdiction (the
/// decisions of GET /v1/admin/roster as `RosterKeeper` keeps them), paged in USCC order and
/// filtered by place, standing and worst class — each page one range of an index
/// (`rosterPage`), never the city decided on a read. Each enterprise opens as its roster
/// decision (RosterEntryPage), where the city overrides it.
enum RosterPage {
    static let pageSize = 100

    static func list(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore) async throws -> Response {
        let c = context.console
        let format = try ExportFormat.asked(request)
        var filter = RosterFilter(jurisdiction: try context.scope())
        filter.region = QueryParameters.text(request, "region")
        if let region = filter.region, !Jurisdiction.isDivisionCode(region) {
            throw APIError(.badRequest, "the region must be a 6-digit division code such as 510104, or empty for all; got \(region)")
        }
        let standing = QueryParameters.text(request, "member") ?? "any"
        switch standing {
        case "any": filter.member = nil
        case "yes": filter.member = true
        case "no": filter.member = false
        default: throw APIError(.badRequest, "member must be any, yes or no; got \(standing)")
        }
        let classes = ["A", "B", "C", "D", RosterFilter.unclassified]
        filter.worstClass = QueryParameters.text(request, "class")
        if let asked = filter.worstClass, !classes.contains(asked) {
            throw APIError(.badRequest, "class must be one of \(classes.joined(separator: ", ")) or empty; got \(asked)")
        }
        // A download is the whole filtered list from its start, not the page on screen.
        filter.after = format == nil ? QueryParameters.text(request, "after") : nil
        let limit = ConsoleList.limit(format, page: pageSize)
        let found = try await store.read { [filter] in try $0.rosterPage(filter, limit: limit + 1) }
        let shown = found.prefix(limit)
        let list = ConsoleList(
            caption: c.t(.roster),
            headers: [c.t(.uscc), c.t(.enterpriseName), c.t(.standing), c.t(.memberSince), c.t(.worstClass), c.t(.proposedBy),
                      c.t(.notMemberBecause), c.t(.holdUntil), c.t(.overrides), c.t(.decidedAt)],
            rows: shown.map { e in
                [ConsoleCell(e.uscc, href: "/console/roster/\(e.uscc)"), ConsoleCell(e.name ?? ""),
                 ConsoleCell(e.member ? c.t(.member) : c.t(.notMember), emphasis: e.member), ConsoleCell(e.memberSince ?? ""),
                 ConsoleCell(e.worstClass ?? c.t(.unclassified)), ConsoleCell(e.proposedBy.joined(separator: "、")),
                 ConsoleCell(e.notMemberBecause.map { RosterReasonText.text($0, c) }.joined(separator: "；")), ConsoleCell(e.removalHoldUntil ?? ""),
                 ConsoleCell(e.newestOverride.map { "\(overrideName($0, c)) (\(e.overrides))" } ?? ""), ConsoleCell(e.decidedAt)]
            },
            name: "roster")
        if let format { return list.download(format) }
        let body: HTML = """
            <h1>\(c.t(.roster))</h1>
            <form method="get" action="/console/roster">
            \(ConsoleField.text("region", "\(c.t(.region)) — \(c.t(.regionHint))", form: "filter", value: filter.region ?? "", required: false))
            \(ConsoleField.select("member", c.t(.standing), form: "filter",
                                  options: [("any", c.t(.anyValue)), ("yes", c.t(.member)), ("no", c.t(.notMember))], selected: standing))
            \(ConsoleField.select("class", c.t(.worstClass), form: "filter",
                                  options: [("", c.t(.anyValue))] + classes.map { ($0, $0 == RosterFilter.unclassified ? c.t(.unclassified) : $0) },
                                  selected: filter.worstClass ?? ""))
            <div><button type="submit">\(c.t(.show))</button></div>
            </form>
            <p class="none">\(c.t(.rosterKept))</p>
            \(ExportFormat.links(request, c))
            \(list.html(c))
            \(ConsoleQuery.nextPage(request, "after", found.count > limit ? shown.last?.uscc : nil, c))
            """
        return ConsolePage.render(title: c.t(.roster), body, context: context, path: "/console/roster")
    }

    /// An override's action in the reader's language.
    static func overrideName(_ action: String, _ c: ConsoleRequestState) -> String {
        switch action {
        case "admit": return c.t(.admitted)
        case "remove": return c.t(.removed)
        default: return action
        }
    }
}
