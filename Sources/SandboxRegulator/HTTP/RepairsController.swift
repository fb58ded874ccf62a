import Foundation
import Hummingbird
import SandboxCore

/// `/v1/admin/repairs…`: credit repair (信用修复) as a flow — an application entered by staff,
/// reviewed and decided by the listing authority within the limit; an approval ends the list
/// entry in the registry, which every agent then hears as a registry change.
struct RepairsController {
    let store: RegulatorStore

    func addRoutes(to admin: RouterGroup<RegulatorRequestContext>) {
        admin.get("repairs") { request, context in try await list(request, context) }
        admin.get("repairs/:id") { _, context in JSONResponse.make(.ok, try await visible(context)) }
        let deciders = admin.group().add(middleware: RoleGate(.city, .district))
        deciders.post("repairs") { request, context in try await apply(request, context) }
        deciders.post("repairs/:id/decision") { request, context in try await decide(request, context) }
    }

    static func today() -> CivilDate { CivilDate(unixTime: Timestamp.now()) }

    func list(_ request: Request, _ context: RegulatorRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        var state: CreditRepair.State?
        if let text = q.get("state") {
            guard let s = CreditRepair.State(rawValue: text) else { throw APIError(.badRequest, "state must be pending, approved or rejected") }
            state = s
        }
        let limit = try QueryParameters.integer(request, "limit", default: 500, in: 1...5000)
        let scope = try context.scope(), uscc = QueryParameters.text(request, "uscc"), today = Self.today()
        let repairs = try await store.read { [state] s in
            try s.repairs(jurisdiction: scope, state: state, uscc: uscc, today: today, limit: limit)
        }
        return JSONResponse.make(.ok, RepairListAnswer(repairs: repairs, count: repairs.count))
    }

    func visible(_ context: RegulatorRequestContext) async throws -> CreditRepair {
        let id = context.parameters.get("id") ?? ""
        let notFound = APIError(.notFound, "no credit repair \(id)")
        guard let repair = try await store.read({ try $0.repair(id: id, today: Self.today()) }) else { throw notFound }
        try await context.requireJurisdiction(over: repair.uscc, store: store, denied: JurisdictionDenied(notFound: notFound))
        return repair
    }

    struct Application: Decodable {
        var uscc: String, list: RepairList, applicant: String, applicationLetter: Bool?, commitmentLetter: Bool?, note: String?
        enum CodingKeys: String, CodingKey {
            case uscc, list, applicant, note
            case applicationLetter = "application_letter", commitmentLetter = "commitment_letter"
        }
    }

    func apply(_ request: Request, _ context: RegulatorRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 64 * 1024)
        guard let a = try? JSONDecoder().decode(Application.self, from: Data(buffer: body)), !a.applicant.isEmpty else {
            throw APIError(.badRequest, "send {\"uscc\", \"list\": abnormal_list|serious_violation_list|penalty_publication, "
                           + "\"applicant\", \"application_letter\": true (信用修复申请书), \"commitment_letter\": true (守信承诺书), \"note\"}")
        }
        guard USCC.check(a.uscc) == .valid else { throw APIError(.badRequest, "uscc is not a valid unified social credit code: \(a.uscc)") }
        try await context.requireJurisdiction(over: a.uscc, store: store, denied: JurisdictionDenied(uscc: a.uscc))
        let repair = try await store.write { try $0.addRepair(uscc: a.uscc, list: a.list, applicant: a.applicant, source: "staff",
                                               applicationLetter: a.applicationLetter ?? false,
                                               commitmentLetter: a.commitmentLetter ?? false, note: a.note, now: Timestamp.now()) }
        return JSONResponse.make(.created, repair)
    }

    struct Decision: Decodable { var decision: String; var reason: String? }

    func decide(_ request: Request, _ context: RegulatorRequestContext) async throws -> Response {
        let repair = try await visible(context)
        let body = try await request.body.collect(upTo: 64 * 1024)
        guard let d = try? JSONDecoder().decode(Decision.self, from: Data(buffer: body)), d.decision == "approve" || d.decision == "reject" else {
            throw APIError(.badRequest, "send {\"decision\": approve|reject, \"reason\": \"…\" (required to reject)}")
        }
        if d.decision == "reject", (d.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw APIError(.badRequest, "a rejection needs its reason: the applicant is told it")
        }
        do {
            let decided = try await store.write { try $0.decideRepair(id: repair.id, approve: d.decision == "approve", reason: d.reason,
                                                       officer: try context.requireIdentity().actor, now: Timestamp.now()) }
            return JSONResponse.make(.ok, decided)
        } catch RepairRefusal.invalid(let why) {
            throw APIError(.conflict, why)
        }
    }
}

/// GET /v1/admin/repairs answer.
struct RepairListAnswer: Encodable {
    var repairs: [CreditRepair]
    var count: Int
}
