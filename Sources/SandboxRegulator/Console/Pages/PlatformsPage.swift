import Foundation
import Hummingbird
import SandboxCore

/// 平台: every platform of the platforms file with its link's health (GET /v1/admin/platforms:
/// in contact or silent, what it last sent, the directives it has not answered), and one
/// platform with the directives it still owes a receipt, oldest first — what a bureau chases the
/// platform about. For the city and auditors, as the API.
enum PlatformsPage {
    static let pageSize = 100

    static func list(_ request: Request, _ context: RegulatorRequestContext,
                     platformHealth: ConsoleRoutes.PlatformHealthSource) async throws -> Response {
        let c = context.console
        let platforms = try await platformHealth(Timestamp.now())
        let list = ConsoleList(
            caption: c.t(.platforms),
            headers: [c.t(.platform), c.t(.status), c.t(.lastContact), c.t(.lastBatch), c.t(.lastReceipt), c.t(.lastPoll),
                      c.t(.batchesAccepted), c.t(.itemsAccepted), c.t(.itemsRejected), c.t(.awaitingReceipt), c.t(.oldestAwaiting)],
            rows: platforms.map { p in
                [ConsoleCell(p.platformID, href: "/console/platforms/\(p.platformID)"), state(p, c), time(p.lastContactAt),
                 time(p.lastBatchAt), time(p.lastReceiptAt), time(p.lastDirectivePollAt), ConsoleCell(String(p.batchesAccepted)),
                 ConsoleCell(String(p.itemsAccepted)), ConsoleCell(String(p.itemsRejected)),
                 ConsoleCell(String(p.directivesAwaitingReceipt), emphasis: p.directivesAwaitingReceipt > 0), time(p.oldestAwaitingSince)]
            },
            name: "platforms")
        return try list.page(request, context, title: c.t(.platforms), path: "/console/platforms")
    }

    static func detail(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore,
                       platformHealth: ConsoleRoutes.PlatformHealthSource) async throws -> Response {
        let c = context.console
        let id = context.parameters.get("platform") ?? ""
        let now = Timestamp.now()
        guard let health = try await platformHealth(now).first(where: { $0.platformID == id }) else {
            throw APIError(.notFound, "no platform \(id) in the platforms file")
        }
        let format = try ExportFormat.asked(request)
        // A download is the whole list from its oldest, not the page on screen.
        let after = format == nil ? Int64(try QueryParameters.integer(request, "after", default: 0, in: 0...Int.max)) : 0
        let limit = ConsoleList.limit(format, page: pageSize)
        let waiting = try await store.read { try $0.awaitingReceipt(platformID: id, after: after, limit: limit + 1) }
        let shown = waiting.prefix(limit)
        let list = ConsoleList(
            caption: c.t(.awaitingList),
            headers: [c.t(.cursor), c.t(.directive), c.t(.kind), c.t(.uscc), c.t(.merchantID), c.t(.about), c.t(.sentAt), c.t(.waitingDays)],
            rows: shown.map { d in
                let about = d.payload["case_id"]?.stringValue ?? d.payload["title"]?.stringValue ?? d.payload["rule_id"]?.stringValue
                let days = UTCTime.parse(d.createdAt).map { max(0, (now - $0) / 86_400) }
                return [ConsoleCell(String(d.cursor)), ConsoleCell(d.id), ConsoleCell(d.type), .enterprise(d.uscc),
                        ConsoleCell(d.platformMerchantID ?? ""), ConsoleCell(about ?? ""), ConsoleCell(d.createdAt),
                        ConsoleCell(days.map { String($0) } ?? "")]
            },
            name: "awaiting-receipts")
        if let format { return list.download(format) }
        let facts: [ConsoleFacts.Fact] = [
            .init(c.t(.status), state(health, c).html, id: "state"), .init(c.t(.lastContact), text: time(health.lastContactAt).text),
            .init(c.t(.lastBatch), text: time(health.lastBatchAt).text), .init(c.t(.lastReceipt), text: time(health.lastReceiptAt).text),
            .init(c.t(.lastPoll), text: time(health.lastDirectivePollAt).text),
            .init(c.t(.itemsAccepted), text: String(health.itemsAccepted)), .init(c.t(.itemsRejected), text: String(health.itemsRejected)),
            .init(c.t(.awaitingReceipt), text: String(health.directivesAwaitingReceipt), id: "awaiting"),
        ]
        let body: HTML = """
            <h1>\(c.t(.platform)) \(id)</h1>
            \(ConsoleFacts(facts).html)
            <h2>\(c.t(.awaitingList))</h2>
            \(ExportFormat.links(request, c))
            \(list.html(c))
            \(ConsoleQuery.nextPage(request, "after", waiting.count > limit ? shown.last.map { String($0.cursor) } : nil, c))
            """
        return ConsolePage.render(title: "\(c.t(.platform)) \(id)", body, context: context, path: "/console/platforms/\(id)")
    }

    static func state(_ p: PlatformHealth, _ c: ConsoleRequestState) -> ConsoleCell {
        switch p.state {
        case "ok": return ConsoleCell(c.t(.syncOK))
        case "silent": return ConsoleCell(c.t(.syncSilent), emphasis: true)
        default: return ConsoleCell(c.t(.syncNever), emphasis: true)
        }
    }

    static func time(_ t: Int64?) -> ConsoleCell { ConsoleCell(t.map(UTCTime.rfc3339) ?? "—") }
}
