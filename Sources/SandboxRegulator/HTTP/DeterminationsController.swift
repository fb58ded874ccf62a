import Foundation
import Hummingbird

/// `/v1/admin/determinations…`: the agents' 行政处罚法 art. 33 recommendations, judged for
/// "first" across every platform and the regulator's records, decided by an officer (不予处罚 /
/// 可以不予处罚 applied or not / 立案); only a decision sends the education note to the merchant.
struct DeterminationsController {
    let store: RegulatorStore
    let bell: DirectiveBell

    func addRoutes(to admin: RouterGroup<RegulatorRequestContext>) {
        admin.get("determinations") { request, context in
            let pending = try QueryParameters.flag(request, "pending", default: true)
            let limit = try QueryParameters.integer(request, "limit", default: 500, in: 1...5000)
            let list = try await store.read { try $0.recommendations(jurisdiction: try context.scope(),
                                                       pending: pending, limit: limit) }
            return JSONResponse.make(.ok, RecommendationList(recommendations: list, count: list.count))
        }
        admin.get("determinations/:platform/:case") { _, context in JSONResponse.make(.ok, try await visible(context)) }
        admin.group().add(middleware: RoleGate(.city, .district))
            .post("determinations/:platform/:case") { request, context in try await decide(request, context) }
    }

    func visible(_ context: RegulatorRequestContext) async throws -> Recommendation {
        try await visible(platform: context.parameters.get("platform") ?? "", caseID: context.parameters.get("case") ?? "", context)
    }

    /// What a case without a recommendation, or outside the caller's jurisdiction, is answered.
    static func notFound(platform: String, caseID: String) -> APIError {
        APIError(.notFound, "no art. 33 recommendation on case \(caseID) of platform \(platform)")
    }

    /// The same for a case named otherwise than by the path.
    func visible(platform: String, caseID: String, _ context: RegulatorRequestContext) async throws -> Recommendation {
        let notFound = Self.notFound(platform: platform, caseID: caseID)
        guard let rec = try await store.read({ try $0.recommendation(platformID: platform, caseID: caseID) }) else { throw notFound }
        try await context.requireJurisdiction(over: rec.uscc, store: store, denied: JurisdictionDenied(notFound: notFound))
        return rec
    }

    struct Decision: Decodable { var decision: Art33Decision; var note: String? }

    func decide(_ request: Request, _ context: RegulatorRequestContext) async throws -> Response {
        let rec = try await visible(context)
        let body = try await request.body.collect(upTo: 64 * 1024)
        guard let d = try? JSONDecoder().decode(Decision.self, from: Data(buffer: body)) else {
            throw APIError(.badRequest, "send {\"decision\": no_penalty|may_not_penalize_applied|may_not_penalize_not_applied|file_case, "
                           + "\"note\": the education note (default: the pack's)}")
        }
        return JSONResponse.make(.created, try await record(d.decision, note: d.note, on: rec, by: try context.requireIdentity()))
    }

    /// Records a decision on a visible recommendation and wakes the directive long polls when it
    /// sends the education note; the API and the console both decide through here. A decision
    /// that does not fit (decided already, not first, another recommendation) is a 409 saying why.
    func record(_ decision: Art33Decision, note: String?, on rec: Recommendation, by identity: Identity) async throws -> Recommendation {
        let issuer = await IssuingOrgan.name(for: identity, store: store)
        do {
            let (decided, directive) = try await store.write { try $0.decide(platformID: rec.platformID, caseID: rec.caseID, decision, note: note,
                                                              officer: identity.actor, role: identity.role?.rawValue,
                                                              issuer: issuer, now: Timestamp.now()) }
            if directive != nil { bell.ring() }
            return decided
        } catch DeterminationRefusal.invalid(let why) {
            throw APIError(.conflict, why)
        }
    }
}

/// GET /v1/admin/determinations answer.
struct RecommendationList: Encodable {
    var recommendations: [Recommendation]
    var count: Int
}
