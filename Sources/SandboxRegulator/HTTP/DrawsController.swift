import Foundation
import Hummingbird
import SandboxCore
import SandboxWire

/// A draw after it is made (`sandbox-regulator draw`): its results recorded by the inspectors'
/// bureaus, then published (一公开) — in full for staff, and without inspectors' names on the
/// public route that needs no token.
struct DrawsController {
    let store: RegulatorStore
    /// Rung when a problem found becomes an event directive.
    let bell: DirectiveBell

    func addRoutes(admin: RouterGroup<RegulatorRequestContext>, public router: Router<RegulatorRequestContext>) {
        admin.group().add(middleware: RoleGate(.city, .auditor, .district))
            .get("draws/:id") { _, context in try await view(context, forPublic: false) }
        admin.group().add(middleware: RoleGate(.city, .district))
            .post("draws/:id/results") { request, context in try await recordResult(request, context) }
        admin.group().add(middleware: RoleGate(.city, .district))
            .post("draws/:id/publish") { _, context in
                try await publish(id: try drawID(context), context)
                return try await view(context, forPublic: false)
            }
        router.get("/v1/public/draws/:id") { _, context in try await view(context, forPublic: true) }
    }

    func drawID(_ context: RegulatorRequestContext) throws -> Int64 {
        guard let id = context.parameters.get("id").flatMap(Int64.init) else { throw APIError(.badRequest, "a draw id is a number") }
        return id
    }

    /// The draw with its results; the public view exists only once published and names no inspector.
    func view(_ context: RegulatorRequestContext, forPublic: Bool) async throws -> Response {
        let id = try drawID(context)
        guard let stored = try await store.read({ try $0.draw(id: id) }), !forPublic || stored.publishedAt != nil else {
            throw APIError(.notFound, forPublic ? "no published draw \(id)" : "no draw \(id)")
        }
        if !forPublic { try Self.requireOrganiser(of: stored.result, id: id, context) }
        let results = try await store.read { try $0.inspectionResults(drawID: id) }
        guard case .object(var draw) = stored.result else { throw APIError(.internalServerError, "draw \(id) is stored unreadably") }
        if forPublic, case .array(let drawn)? = draw["drawn"] {
            draw["drawn"] = .array(drawn.map { d in
                guard case .object(var o) = d else { return d }
                o["inspectors"] = nil
                return .object(o)
            })
        }
        draw["published_at"] = stored.publishedAt.map { .string(UTCTime.rfc3339($0)) } ?? .null
        draw["results"] = .array(results.map { r in
            var o: [String: JSONValue] = ["uscc": .string(r.uscc), "result": .string(r.result.rawValue),
                                          "follow_up": r.followUp.map(JSONValue.string) ?? .null, "recorded_at": .string(r.recordedAt)]
            if !forPublic {
                o["recorded_by"] = .string(r.recordedBy)
                o["inspectors"] = r.inspectors.map(JSONValue.string) ?? .null
            }
            return .object(o)
        })
        return JSONResponse.make(.ok, bytes: Array(JSONValue.object(draw).jsonText.utf8))
    }

    struct Result: Decodable {
        var uscc: String, result: InspectionResult.Outcome, followUp: String?, inspectors: String?
        init(uscc: String, result: InspectionResult.Outcome, followUp: String?, inspectors: String?) {
            self.uscc = uscc; self.result = result; self.followUp = followUp; self.inspectors = inspectors
        }
        enum CodingKeys: String, CodingKey { case uscc, result, inspectors, followUp = "follow_up" }
    }

    func recordResult(_ request: Request, _ context: RegulatorRequestContext) async throws -> Response {
        let id = try drawID(context)
        let body = try await request.body.collect(upTo: 64 * 1024)
        guard let r = try? JSONDecoder().decode(Result.self, from: Data(buffer: body)) else {
            throw APIError(.badRequest, "send {\"uscc\", \"result\": pass|problems, \"follow_up\" (required with problems), \"inspectors\"}")
        }
        return JSONResponse.make(.created, try await record(r, drawID: id, context))
    }

    /// Records one drawn enterprise's result when the caller's jurisdiction holds it; the API
    /// and the console's draw page both record through here (the checks, the event directive).
    func record(_ r: Result, drawID id: Int64, _ context: RegulatorRequestContext) async throws -> InspectionResult {
        let identity = try context.requireIdentity()
        try await context.requireJurisdiction(over: r.uscc, store: store, denied: JurisdictionDenied(uscc: r.uscc))
        do {
            let recorded = try await store.write { try $0.recordInspectionResult(drawID: id, uscc: r.uscc, result: r.result, followUp: r.followUp,
                                                                  inspectors: r.inspectors, officer: identity.actor, now: Timestamp.now()) }
            if r.result == .problems { bell.ring() }
            return recorded
        } catch InspectionRefusal.noSuchDraw {
            throw APIError(.notFound, "no draw \(id)")
        } catch InspectionRefusal.invalid(let why) {
            throw APIError(.conflict, why)
        }
    }

    /// A district bureau reads and publishes only the draws of its own division (it organised
    /// them); another's is the 404 of a draw never made. The city and the auditor pass.
    static func requireOrganiser(of draw: JSONValue, id: Int64, _ context: RegulatorRequestContext) throws {
        try requireOrganiser(region: draw["region"]?.stringValue, id: id, context)
    }

    /// As above, for a draw limited to `region` (nil: the city's).
    static func requireOrganiser(region: String?, id: Int64, _ context: RegulatorRequestContext) throws {
        if case .district(let code) = try context.scope(), region != code {
            throw JurisdictionDenied(notFound: APIError(.notFound, "no draw \(id)"))
        }
    }

    /// Publishes a draw (一公开): the city any draw, a district bureau the draws of its own
    /// division (it organised them); another district's draw is the 404 of one never made.
    func publish(id: Int64, _ context: RegulatorRequestContext) async throws {
        guard let head = try await store.read({ try $0.drawHead(id: id) }) else { throw APIError(.notFound, "no draw \(id)") }
        try Self.requireOrganiser(region: head.region, id: id, context)
        do { try await store.write { try $0.publishDraw(id: id, now: Timestamp.now()) } }
        catch InspectionRefusal.noSuchDraw { throw APIError(.notFound, "no draw \(id)") }
        catch InspectionRefusal.invalid(let why) { throw APIError(.conflict, why) }
    }
}
