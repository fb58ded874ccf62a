import Foundation
import Hummingbird
import SandboxCore

/// One draw: its seed and strata, the drawn enterprises with the inspectors assigned to each, a
/// form per enterprise to record its result — through `DrawsController.record`, the path and
/// checks of POST /v1/admin/draws/{id}/results — and, once every result is in, 公示 (publish,
/// `DrawsController.publish`) with the link to the public page. A district bureau sees only the
/// draws of its own division; another's is the 404 of a draw never made, audited as denied.
enum DrawPage {
    static let pageSize = 100

    static func detail(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore) async throws -> Response {
        let c = context.console
        let (id, stored) = try await visible(context, store: store)
        let results = Dictionary(uniqueKeysWithValues: try await store.read { try $0.inspectionResults(drawID: id) }.map { ($0.uscc, $0) })
        let drawn = stored.result["drawn"]?.arrayValue ?? []
        let identity = try context.requireIdentity()
        let mayRecord = identity.role == .city || identity.role == .district
        let token = c.csrfToken ?? ""
        let usccs = drawn.map { $0["uscc"]?.stringValue ?? "" }
        let cells: [[ConsoleCell]] = zip(drawn, usccs).map { d, uscc in
            let inspectors = (d["inspectors"]?.arrayValue ?? []).map { i in
                "\(i["name"]?.stringValue ?? "") (\(i["id"]?.stringValue ?? ""))"
            }.joined(separator: "；")
            let mode = d["mode"]?.stringValue == "remote" ? c.t(.modeRemote) : c.t(.modeOnSite)
            let r = results[uscc]
            let outcome = r.map { $0.result == .pass ? c.t(.resultPass) : c.t(.resultProblems) } ?? ""
            return [.enterprise(uscc), ConsoleCell(d["name"]?.stringValue ?? ""), ConsoleCell(d["stratum"]?.stringValue ?? ""),
                    ConsoleCell(d["class"]?.stringValue ?? ""), ConsoleCell(mode), ConsoleCell(inspectors),
                    ConsoleCell(outcome, emphasis: true), ConsoleCell(r?.followUp ?? ""), ConsoleCell(r?.recordedBy ?? "")]
        }
        let headers = [c.t(.uscc), c.t(.enterpriseName), c.t(.stratum), c.t(.creditClass), c.t(.mode), c.t(.inspectorsAssigned),
                       c.t(.result), c.t(.followUp), c.t(.recordedBy)]
        if let format = try ExportFormat.asked(request) {
            return ConsoleList(caption: c.t(.drawDetail), headers: headers, rows: cells, name: "draw-\(id)").download(format)
        }
        // A city draw can draw tens of thousands: the page shows them by the hundred, the download all.
        let offset = try QueryParameters.integer(request, "offset", default: 0, in: 0...10_000_000)
        let page = offset < cells.count ? offset..<min(cells.count, offset + pageSize) : 0..<0
        let rows: [[HTML]] = page.map { i in
            var shown = cells[i].map(\.html)
            if results[usccs[i]] == nil, mayRecord, stored.publishedAt == nil { shown[6] = resultForm(id: id, uscc: usccs[i], token: token, c) }
            return shown
        }
        let missing = drawn.count - results.count
        let strata: [[HTML]] = (stored.result["strata"]?.arrayValue ?? []).map { s in
            ["\(s["stratum"]?.stringValue ?? "")", "\(s["n"]?.intValue ?? 0)",
             "\(DrawReport.percent(Int(s["ratio_basis_points"]?.intValue ?? 0)))", "\(s["k"]?.intValue ?? 0)"]
        }
        var publish = HTML.empty
        if let at = stored.publishedAt {
            publish = "<p id=\"published\">\(c.t(.statePublished)) \(Timestamp.iso(at)) · <a href=\"/v1/public/draws/\(id)\">\(c.t(.publicPage))</a></p>"
        } else if missing == 0, mayRecord {
            publish = ConsolePostForm(action: "/console/draws/\(id)/publish", id: "publish", title: c.t(.publishDraw),
                                      button: c.t(.publishDraw), confirm: c.t(.confirmPublish)).html(token: token)
        }
        let facts = ConsoleFacts([
            .init(c.t(.seed), "<strong>\(stored.result["seed"]?.stringValue ?? "")</strong>", id: "seed"),
            .init(c.t(.asOf), text: stored.result["as_of"]?.stringValue),
            .init(c.t(.drawRegion), text: stored.result["region"]?.stringValue ?? c.t(.drawRegionCity)),
            .init(c.t(.packVersion), text: stored.result["pack_version"]?.stringValue),
            .init(c.t(.population), text: String(stored.result["population_count"]?.intValue ?? 0)),
            .init(c.t(.populationDigest), "<code>\(stored.result["population_digest"]?.stringValue ?? "")</code>", id: "digest"),
            .init(c.t(.drawnCount), text: String(drawn.count)),
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
            \(ConsoleQuery.nextPage(request, "offset", page.upperBound < cells.count ? String(page.upperBound) : nil, c))
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
        let (id, _) = try await visible(context, store: store)
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
        let (id, stored) = try await visible(context, store: store)
        let drawn = stored.result["drawn"]?.arrayValue?.count ?? 0
        let results = try await store.read { try $0.inspectionResults(drawID: id) }.count
        guard results >= drawn else {
            throw APIError(.conflict, "\(drawn - results) drawn enterprise(s) have no result yet; record every result, then publish")
        }
        try await draws.publish(id: id, context)
        return ConsolePage.redirect(to: "/console/draws/\(id)")
    }

    /// The draw of the path when the caller's bureau may see it; otherwise the 404 of a draw never made.
    static func visible(_ context: RegulatorRequestContext, store: RegulatorStore) async throws -> (Int64, (result: JSONValue, publishedAt: Int64?)) {
        let text = context.parameters.get("id") ?? ""
        let notFound = APIError(.notFound, "no draw \(text)")
        guard let id = Int64(text), let stored = try await store.read({ try $0.draw(id: id) }) else { throw notFound }
        try DrawsController.requireOrganiser(of: stored.result, id: id, context)
        return (id, stored)
    }
}
