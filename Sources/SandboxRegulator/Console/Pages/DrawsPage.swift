import Foundation
import Hummingbird
import SandboxCore
import SandboxPolicy

/// 双随机抽查: the draws of the caller's bureau, newest first, and (city, district) the form for
/// a new one. A draw is organised by the bureau that inspects: the city draws over the city or
/// one division, a district bureau over its own division only, with its own staff or an
/// inspectors file. The form leads to a preview — each stratum's size and how many it gives, the
/// seed —, prepared in the background through `DrawRun`, the code of `sandbox-regulator draw`
/// (DrawPreparer, DrawPreparationPage); only the preview's 抽取 stores that draw.
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
             ConsoleCell(stateName(d.state, c), emphasis: d.state != .published), ConsoleCell(d.createdBy), ConsoleCell(UTCTime.rfc3339(d.createdAt))]
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

    /// POST /console/draws/preview: the draw asked for, prepared in the background (a city's takes
    /// seconds); the officer is sent to the page that waits for it and then shows the preview.
    /// What can be checked at once is: the seed, the day, the division and the inspectors.
    static func preview(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore,
                        preparer: DrawPreparer) async throws -> Response {
        let identity = try context.requireIdentity()
        let upload = try await ConsoleUpload(request)
        let seed = upload.text("seed") ?? generatedSeed()
        let region = try drawRegion(upload.text("region"), for: identity)
        // The day is fixed now, so a preparation taken over after midnight draws the same day.
        let asOf = upload.text("as_of") ?? CivilDate(unixTime: Timestamp.now()).description
        guard CivilDate(isoText: asOf) != nil else { throw APIError(.badRequest, "the day \(asOf) is not a date; write YYYY-MM-DD") }
        let inspectors = try await DrawInspectors(upload: upload).inspectors(identity, store: store)
        let id = try await preparer.ask(DrawPreparationRequest(seed: seed, asOf: asOf, region: region, inspectors: inspectors),
                                        by: identity.actor)
        return ConsolePage.redirect(to: "/console/draws/preparations/\(id)")
    }

    /// POST /console/draws: the previewed draw stored as it was prepared — the population the
    /// officer saw, not one read again. A second 抽取 of the same preview shows the first's draw.
    static func run(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore) async throws -> Response {
        let identity = try context.requireIdentity()
        let form = try await ConsoleForm(request)
        guard let text = form.text("preparation"), let id = Int64(text) else {
            throw APIError(.badRequest, "the draw names no preview; preview the draw again")
        }
        let now = Timestamp.now()
        switch try await store.write({ try $0.drawFromPreparation(id: id, actor: identity.actor, now: now) }) {
        case .drawn(let draw):
            return ConsolePage.redirect(to: "/console/draws/\(draw)")
        case .notFound:
            throw APIError(.notFound, "no draw preview \(id); preview the draw again from the draws page")
        case .notReady(.failed):
            throw APIError(.conflict, "the preview could not be prepared; preview the draw again")
        case .notReady:
            throw APIError(.conflict, "the preview is still being prepared; wait for it to show the strata, then draw")
        case .expired:
            throw APIError(.conflict, "the preview is more than an hour old and its population may have changed; preview the draw again")
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
