import Foundation
import Hummingbird
import SandboxCore
import SandboxPolicy

/// 双随机抽查: the draws of the caller's bureau, newest first, and (city, district) the form for
/// a new one. A draw is organised by the bureau that inspects: the city draws over the city or
/// one division, a district bureau over its own division only, with its own staff or an
/// inspectors file. The form leads to a preview — each stratum's size and how many it gives, the
/// seed — and only the preview's 抽取 makes and stores the draw, through `DrawRun`, the code of
/// `sandbox-regulator draw`.
enum DrawsPage {
    static let listed = 200

    static func list(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore) async throws -> Response {
        let c = context.console
        let identity = try context.requireIdentity()
        let region: String?
        if case .district(let code)? = identity.jurisdiction { region = code } else { region = nil }
        let draws = try await store.read { try $0.drawSummaries(region: region, limit: listed) }
        let rows: [[ConsoleCell]] = draws.map { d in
            [ConsoleCell(String(d.id), href: "/console/draws/\(d.id)"), ConsoleCell(d.asOf), ConsoleCell(d.region ?? c.t(.drawRegionCity)),
             ConsoleCell(d.seed), ConsoleCell(String(d.drawn)), ConsoleCell(String(d.results)),
             ConsoleCell(stateName(d.state, c), emphasis: d.state != .published), ConsoleCell(d.createdBy), ConsoleCell(Timestamp.iso(d.createdAt))]
        }
        let list = ConsoleList(caption: c.t(.draws),
                               headers: ["#", c.t(.asOf), c.t(.drawRegion), c.t(.seed), c.t(.drawnCount), c.t(.resultsCount), c.t(.drawState),
                                         c.t(.drawnBy), c.t(.opened)],
                               rows: rows, name: "draws")
        if let format = try ExportFormat.asked(request) { return list.download(format) }
        var form = HTML.empty
        if identity.role == .city || identity.role == .district, let token = c.csrfToken {
            form = try await newDrawForm(identity, token: token, store: store, c)
        }
        let body: HTML = """
            <h1>\(c.t(.draws))</h1>
            \(ExportFormat.links(request, c))
            \(list.html(c))
            \(form)
            """
        return ConsolePage.render(title: c.t(.draws), body, context: context, path: "/console/draws")
    }

    static func stateName(_ state: DrawSummary.State, _ c: ConsoleRequestState) -> String {
        switch state {
        case .drawn: return c.t(.stateDrawn)
        case .resultsEntered: return c.t(.stateResultsEntered)
        case .published: return c.t(.statePublished)
        }
    }

    /// The division a district's draw is limited to; the city's choice (nil: the whole city).
    static func drawRegion(_ asked: String?, for identity: Identity) throws -> String? {
        if case .district(let code)? = identity.jurisdiction { return code }
        guard let asked else { return nil }
        guard Jurisdiction.isDivisionCode(asked) else {
            throw APIError(.badRequest, "the region must be a 6-digit division code such as 510107, or empty for the whole city")
        }
        return asked
    }

    static func newDrawForm(_ identity: Identity, token: String, store: RegulatorStore, _ c: ConsoleRequestState) async throws -> HTML {
        let staff = try await DrawInspectors.bureauStaff(of: identity, store: store)
        let ratios = try await store.read { try $0.publishedPack() }?.inspection.ratioBasisPoints ?? [:]
        let ratioRows: [[HTML]] = InspectionDraw.strata.map { ["\($0)", "\(DrawReport.percent(ratios[$0] ?? 0))"] }
        let regionField: HTML
        if case .district(let code)? = identity.jurisdiction {
            regionField = "<p>\(c.t(.drawRegion)): <strong id=\"draw-region\">\(code)</strong></p>\n"
        } else {
            regionField = ConsoleField.text("region", "\(c.t(.drawRegion)) (\(c.t(.regionHint)))", form: "draw", required: false)
        }
        let staffChoice = HTML(joining: staff.map { m -> HTML in
            """
            <div class="option"><input type="checkbox" id="inspector-\(m.username)" name="inspector" value="\(m.username)"> \
            <label for="inspector-\(m.username)" class="inline">\(m.displayName) (\(m.username))</label></div>

            """
        })
        let fields: HTML = """
            \(ConsoleField.text("seed", c.t(.seedHint), form: "draw", required: false))\
            \(ConsoleField.text("as_of", c.t(.asOf), form: "draw", required: false, type: "date"))\
            \(regionField)\
            <h4>\(c.t(.ratio))</h4>
            \(ConsoleTable(caption: c.t(.ratio), headers: [c.t(.stratum), c.t(.ratio)], rows: ratioRows).html(c))
            \(ConsoleField.file("inspectors_file", c.t(.inspectorsFile), form: "draw", accept: ".toml,text/plain"))\
            <fieldset><legend>\(c.t(.inspectorsStaff))</legend>
            \(staffChoice)</fieldset>

            """
        return ConsolePostForm(action: "/console/draws/preview", id: "new-draw", title: c.t(.newDraw), fields: fields,
                               button: c.t(.previewDraw), upload: true).html(token: token)
    }

    /// POST /console/draws/preview: the draw as it would be made, not stored; the strata and the seed.
    static func preview(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore) async throws -> Response {
        let c = context.console
        let identity = try context.requireIdentity()
        let upload = try await ConsoleUpload(request)
        let seed = upload.text("seed") ?? generatedSeed()
        let asOf = upload.text("as_of")
        let region = try drawRegion(upload.text("region"), for: identity)
        let choice = DrawInspectors(upload: upload)
        let report = try await made(seed: seed, asOf: asOf, region: region, choice: choice, identity, store: store)
        let r = report.result
        let strata: [[HTML]] = r.strata.map { ["\($0.name)", "\($0.n)", "\(DrawReport.percent($0.ratioBasisPoints))", "<strong>\($0.k)</strong>"] }
        var hidden = [(name: "seed", value: seed), (name: "as_of", value: report.asOf)]
        if let region { hidden.append((name: "region", value: region)) }
        hidden += choice.hidden
        let draw = ConsolePostForm(action: "/console/draws", id: "draw", title: c.t(.drawButton), hidden: hidden,
                                   button: c.t(.drawButton), confirm: c.t(.confirmDraw))
        let facts = ConsoleFacts([
            .init(c.t(.seed), "<strong>\(seed)</strong>", id: "seed"),
            .init(c.t(.asOf), text: report.asOf),
            .init(c.t(.drawRegion), text: region ?? c.t(.drawRegionCity)),
            .init(c.t(.population), text: String(r.populationCount), id: "population"),
            .init(c.t(.recentlyInspected), text: String(report.recentlyInspected)),
            .init(c.t(.populationDigest), "<code>\(r.populationDigest)</code>"),
            .init(c.t(.drawnCount), text: String(r.drawn.count), id: "to-draw"),
            .init(c.t(.inspectorsAssigned), text: String(report.inspectors.count)),
            .init(c.t(.packVersion), text: "\(report.packVersion) (\(report.packSerial))"),
        ])
        let body: HTML = """
            <h1>\(c.t(.previewDraw)): \(c.t(.newDraw))</h1>
            <p>\(c.t(.drawPreviewExplain))</p>
            \(facts.html)
            \(ConsoleTable(caption: c.t(.stratum), headers: [c.t(.stratum), c.t(.population), c.t(.ratio), c.t(.sampleSize)],
                           rows: strata).html(c))
            \(draw.html(token: c.csrfToken ?? ""))
            <p><a href="/console/draws">\(c.t(.back))</a></p>
            """
        return ConsolePage.render(title: c.t(.previewDraw), body, context: context, path: "/console/draws")
    }

    /// POST /console/draws: the previewed draw, made and stored.
    static func run(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore) async throws -> Response {
        let identity = try context.requireIdentity()
        let form = try await ConsoleForm(request)
        guard let seed = form.text("seed") else { throw APIError(.badRequest, "the draw names no seed; preview the draw again") }
        let report = try await made(seed: seed, asOf: form.text("as_of"), region: try drawRegion(form.text("region"), for: identity),
                                    choice: try DrawInspectors(carried: form), identity, store: store)
        let stored: DrawReport
        do { stored = try await DrawRun.record(report, createdBy: identity.actor, store: store, now: Timestamp.now()) } catch {
            throw APIError(.internalServerError, error.message)
        }
        return ConsolePage.redirect(to: "/console/draws/\(stored.id)")
    }

    static func made(seed: String, asOf: String?, region: String?, choice: DrawInspectors, _ identity: Identity,
                     store: RegulatorStore) async throws -> DrawReport {
        let inspectors = try await choice.inspectors(identity, store: store)
        do {
            return try await DrawRun.draw(seed: seed, inspectors: inspectors, asOf: asOf, region: region, packPath: nil, store: store,
                                          now: Timestamp.now())
        } catch {
            throw APIError(.conflict, error.message)
        }
    }

    /// A seed when the officer gives none: the day and 64 random bits, shown in the preview and
    /// published with the draw (its randomness matters less than that it is fixed before the draw).
    static func generatedSeed() -> String {
        var g = SystemRandomNumberGenerator()
        let day = CivilDate(unixTime: Timestamp.now()).description
        return day + "-" + String(g.next() as UInt64, radix: 16)
    }
}
