import Hummingbird
import SandboxCore
import SandboxWire

/// `/console/draws/preparations/{id}`: a draw's preview while it is prepared in the background
/// (DrawPreparer) and once it is. Preparing: the phase and the seconds so far, in a live region
/// the console's script refreshes from `…/state` (a Refresh link without the script); a node
/// gone mid-way is taken over here. Prepared: the strata and the seed as the preview has always
/// shown them, with 抽取, which stores this very draw. Failed: why, and the way back. Only the
/// officer who asked sees it; to anyone else it is a preparation never made.
enum DrawPreparationPage {
    static func answer(_ context: RegulatorRequestContext, store: RegulatorStore, preparer: DrawPreparer) async throws -> Response {
        let c = context.console
        var p = try await visible(context, store: store)
        if p.isStale(now: Timestamp.now()) {
            try await preparer.takeOverIfStale(p)
            p = try await visible(context, store: store)
        }
        switch p.state {
        case .drawn:
            return ConsolePage.redirect(to: "/console/draws/\(p.drawID ?? 0)")
        case .failed:
            let body: HTML = """
                <h1>\(c.t(.drawFailed))</h1>
                <p class="error" role="alert">\(p.error ?? "")</p>
                <p><a href="/console/draws">\(c.t(.previewAgain))</a></p>
                """
            return ConsolePage.render(title: c.t(.drawFailed), body, context: context, status: .conflict, path: "/console/draws")
        case .preparing:
            return progress(p, context)
        case .ready:
            return prepared(p, context)
        }
    }

    /// GET …/state: the preparation's state for the page's script, as JSON.
    static func state(_ context: RegulatorRequestContext, store: RegulatorStore) async throws -> Response {
        let p = try await visible(context, store: store)
        let json = JSONValue.object([
            "state": .string(p.state.rawValue), "phase": .string(p.phase.rawValue),
            "phase_text": .string(context.console.t(phaseText(p.phase))),
            "seconds": .int(max(0, Timestamp.now() - p.createdAt)),
        ]).jsonText
        var buffer = ByteBuffer()
        buffer.writeString(json)
        return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"], body: .init(byteBuffer: buffer))
    }

    static func phaseText(_ phase: DrawPreparation.Phase) -> ConsoleText {
        switch phase {
        case .queued: return .phaseQueued
        case .population: return .phasePopulation
        case .inspected: return .phaseInspected
        case .drawing: return .phaseDrawing
        case .storing: return .phaseStoring
        case .done: return .phaseDone
        }
    }

    static func progress(_ p: DrawPreparation, _ context: RegulatorRequestContext) -> Response {
        let c = context.console
        let path = "/console/draws/preparations/\(p.id)"
        let facts = ConsoleFacts([
            .init(c.t(.seed), "<strong>\(p.request.seed)</strong>", id: "seed"),
            .init(c.t(.asOf), text: p.request.asOf),
            .init(c.t(.drawRegion), text: p.request.region ?? c.t(.drawRegionCity)),
        ])
        let body: HTML = """
            <h1>\(c.t(.drawPreparing))</h1>
            <p>\(c.t(.drawPreparingExplain))</p>
            \(facts.html)
            <p id="draw-progress" role="status" aria-live="polite" data-poll="\(path)/state">\
            <span data-field="phase_text">\(c.t(phaseText(p.phase)))</span> · \(c.t(.elapsedSeconds)): \
            <span data-field="seconds">\(max(0, Timestamp.now() - p.createdAt))</span></p>
            <p><a href="\(path)" id="refresh">\(c.t(.refresh))</a> · <a href="/console/draws">\(c.t(.back))</a></p>
            """
        return ConsolePage.render(title: c.t(.drawPreparing), body, context: context, path: "/console/draws")
    }

    static func prepared(_ p: DrawPreparation, _ context: RegulatorRequestContext) -> Response {
        let c = context.console
        guard let r = p.prepared else { return progress(p, context) }
        let strata = DrawPage.strataRows(r.strata, strongK: true)
        let draw = ConsolePostForm(action: "/console/draws", id: "draw", title: c.t(.drawButton),
                                   hidden: [(name: "preparation", value: String(p.id))], button: c.t(.drawButton), confirm: c.t(.confirmDraw))
        let facts = ConsoleFacts([
            .init(c.t(.seed), "<strong>\(p.request.seed)</strong>", id: "seed"),
            .init(c.t(.asOf), text: r.asOf),
            .init(c.t(.drawRegion), text: p.request.region ?? c.t(.drawRegionCity)),
            .init(c.t(.population), text: String(r.populationCount), id: "population"),
            .init(c.t(.recentlyInspected), text: String(r.recentlyInspected)),
            .init(c.t(.populationDigest), "<code>\(r.populationDigest)</code>"),
            .init(c.t(.preparedAt), text: UTCTime.rfc3339(r.preparedAt), id: "prepared-at"),
            .init(c.t(.drawnCount), text: String(r.drawnCount), id: "to-draw"),
            .init(c.t(.inspectorsAssigned), text: String(r.inspectorsCount)),
            .init(c.t(.packVersion), text: "\(r.packVersion) (\(r.packSerial))"),
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

    /// The preparation of the path when the caller asked for it; otherwise the 404 of one never made.
    static func visible(_ context: RegulatorRequestContext, store: RegulatorStore) async throws -> DrawPreparation {
        let identity = try context.requireIdentity()
        let text = context.parameters.get("id") ?? ""
        let notFound = APIError(.notFound, "no draw preview \(text); preview the draw again from the draws page")
        guard let id = Int64(text), let p = try await store.read({ try $0.drawPreparation(id: id) }), p.createdBy == identity.actor else {
            throw notFound
        }
        return p
    }
}
