import Foundation
import Hummingbird
import SandboxCore
import SandboxWire

/// One draw: its seed and strata, the drawn enterprises with the inspectors assigned to each, a
/// form per enterprise to record its result — through `DrawsController.record`, the path and
/// checks of POST /v1/admin/draws/{id}/results — and, once every result is in, 公示 (publish,
/// `DrawsController.publish`) with the link to the public page. A district bureau sees only the
/// draws of its own division; another's is the 404 of a draw never made, audited as denied.
enum DrawPage {
    static let pageSize = 100

    static func detail(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore) async throws -> Response {
        let c = context.console
        let head = try await visible(context, store: store)
        let id = head.id
        let identity = try context.requireIdentity()
        let mayRecord = identity.role == .city || identity.role == .district
        let token = c.csrfToken ?? ""
        let headers = [c.t(.uscc), c.t(.enterpriseName), c.t(.stratum), c.t(.creditClass), c.t(.mode), c.t(.inspectorsAssigned),
                       c.t(.result), c.t(.followUp), c.t(.recordedBy)]
        func cells(_ d: DrawSubject) -> [ConsoleCell] {
            let mode = d.mode == "remote" ? c.t(.modeRemote) : c.t(.modeOnSite)
            let outcome = d.result.map { $0.result == .pass ? c.t(.resultPass) : c.t(.resultProblems) } ?? ""
            return [.enterprise(d.uscc), ConsoleCell(d.name), ConsoleCell(d.stratum), ConsoleCell(d.creditClass ?? ""), ConsoleCell(mode),
                    ConsoleCell(d.inspectorLabels), ConsoleCell(outcome, emphasis: true), ConsoleCell(d.result?.followUp ?? ""),
                    ConsoleCell(d.result?.recordedBy ?? "")]
        }
        if let format = try ExportFormat.asked(request) {
            let all = try await store.read { try $0.drawSubjects(drawID: id, offset: 0, limit: max(1, head.drawnCount)) }
            return ConsoleList(caption: c.t(.drawDetail), headers: headers, rows: all.map(cells), name: "draw-\(id)").download(format)
        }
        // A city draw can draw tens of thousands: the page reads them by the hundred (one range
        // of `draw_subjects`), the download all.
        let offset = try QueryParameters.integer(request, "offset", default: 0, in: 0...10_000_000)
        let page = try await store.read { try $0.drawSubjects(drawID: id, offset: offset, limit: pageSize) }
        let rows: [[HTML]] = page.map { d in
            var shown = cells(d).map(\.html)
            if d.result == nil, mayRecord, head.publishedAt == nil { shown[6] = resultForm(id: id, uscc: d.uscc, token: token, c) }
            return shown
        }
        let next = offset + page.count
        let missing = head.drawnCount - head.resultsRecorded
        let strata = strataRows(head.strata)
        var publish = HTML.empty
        if let at = head.publishedAt {
            publish = "<p id=\"published\">\(c.t(.statePublished)) \(UTCTime.rfc3339(at)) · <a href=\"/v1/public/draws/\(id)\">\(c.t(.publicPage))</a></p>"
        } else if missing == 0, mayRecord {
            publish = ConsolePostForm(action: "/console/draws/\(id)/publish", id: "publish", title: c.t(.publishDraw),
                                      button: c.t(.publishDraw), confirm: c.t(.confirmPublish)).html(token: token)
        }
        let facts = ConsoleFacts([
            .init(c.t(.seed), "<strong>\(head.seed)</strong>", id: "seed"),
            .init(c.t(.asOf), text: head.asOf),
            .init(c.t(.drawRegion), text: head.region ?? c.t(.drawRegionCity)),
            .init(c.t(.packVersion), text: head.packVersion),
            .init(c.t(.population), text: String(head.populationCount)),
            .init(c.t(.populationDigest), "<code>\(head.populationDigest)</code>", id: "digest"),
            .init(c.t(.drawnCount), text: String(head.drawnCount)),
            .init(c.t(.resultsMissing), text: String(missing), id: "missing"),
        ])
        let body: HTML = """
            <h1>\(c.t(.drawDetail)) #\(id)</h1>
            \(facts.html)
            \(ConsoleTable(caption: c.t(.stratum), headers: [c.t(.stratum), c.t(.population), c.t(.ratio), c.t(.sampleSize)],
                           rows: strata).html(c))
            <h2>\(c.t(.drawnCount))</h2>
            \(ExportFormat.links(request, c))
            \(ConsoleTable(caption: c.t(.drawnCount), headers: headers, rows: rows).html(c))
            \(ConsoleQuery.nextPage(request, "offset", next < head.drawnCount && !page.isEmpty ? String(next) : nil, c))
            \(publish)
            <p><a href="/console/draws">\(c.t(.back))</a></p>
            """
        return ConsolePage.render(title: "\(c.t(.drawDetail)) #\(id)", body, context: context, path: "/console/draws/\(id)")
    }

    static func resultForm(id: Int64, uscc: String, token: String, _ c: ConsoleRequestState) -> HTML {
        let fields = HTML(joining: [
            ConsoleField.select("result", c.t(.result), form: uscc, options: [("pass", c.t(.resultPass)), ("problems", c.t(.resultProblems))],
                                selected: "pass"),
            ConsoleField.text("follow_up", c.t(.followUp), form: uscc, required: false),
            ConsoleField.text("inspectors", c.t(.inspectorsPresent), form: uscc, required: false),
        ])
        return ConsolePostForm(action: "/console/draws/\(id)/results", id: "record-\(uscc)", title: c.t(.recordResult),
                               hidden: [(name: "uscc", value: uscc)], fields: fields, button: c.t(.recordResult)).html(token: token)
    }

    /// POST /console/draws/{id}/results: one enterprise's result, as the API records it.
    static func record(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore,
                       draws: DrawsController) async throws -> Response {
        let id = try await visible(context, store: store).id
        let form = try await ConsoleForm(request)
        guard let uscc = form.text("uscc"), let result = form.text("result").flatMap(InspectionResult.Outcome.init(rawValue:)) else {
            throw APIError(.badRequest, "the form names no enterprise or result; reload the draw's page and use its form")
        }
        _ = try await draws.record(.init(uscc: uscc, result: result, followUp: form.text("follow_up"), inspectors: form.text("inspectors")),
                                   drawID: id, context)
        return ConsolePage.redirect(to: "/console/draws/\(id)")
    }

    /// POST /console/draws/{id}/publish: 公示, once every drawn enterprise has its result.
    static func publish(_ context: RegulatorRequestContext, store: RegulatorStore, draws: DrawsController) async throws -> Response {
        let head = try await visible(context, store: store)
        let id = head.id
        guard head.resultsRecorded >= head.drawnCount else {
            throw APIError(.conflict, "\(head.drawnCount - head.resultsRecorded) drawn enterprise(s) have no result yet; record every result, then publish")
        }
        try await draws.publish(id: id, context)
        return ConsolePage.redirect(to: "/console/draws/\(id)")
    }

    /// A table row per stratum (stratum, n, ratio, k) from the kept strata JSON
    /// (`[{"stratum", "n", "ratio_basis_points", "k"}]`): a draw's page and a prepared preview's,
    /// which stresses k, the number the draw will take.
    static func strataRows(_ strata: JSONValue, strongK: Bool = false) -> [[HTML]] {
        (strata.arrayValue ?? []).map { s in
            let k = s["k"]?.intValue ?? 0
            return ["\(s["stratum"]?.stringValue ?? "")", "\(s["n"]?.intValue ?? 0)",
                    "\(DrawReport.percent(Int(s["ratio_basis_points"]?.intValue ?? 0)))", strongK ? "<strong>\(k)</strong>" : "\(k)"]
        }
    }

    /// The draw of the path when the caller's bureau may see it; otherwise the 404 of a draw never made.
    static func visible(_ context: RegulatorRequestContext, store: RegulatorStore) async throws -> DrawHead {
        let text = context.parameters.get("id") ?? ""
        let notFound = APIError(.notFound, "no draw \(text)")
        guard let id = Int64(text), let head = try await store.read({ try $0.drawHead(id: id) }) else { throw notFound }
        try DrawsController.requireOrganiser(region: head.region, id: id, context)
        return head
    }
}
