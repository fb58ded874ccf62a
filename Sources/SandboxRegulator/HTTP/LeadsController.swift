import Foundation
import Hummingbird
import SandboxCore

/// `/v1/admin/leads…`: the district bureaus' queue of leads (违法预警线索) and the offline work on
/// them — assign, 核查, 立案 / 不予立案 / 移送, 结案 — and the steps' export for a case system.
struct LeadsController {
    let store: RegulatorStore
    /// Rung after a closure: its outcome events are directives the platforms wait for.
    let bell: DirectiveBell

    func addRoutes(to admin: RouterGroup<RegulatorRequestContext>) {
        admin.get("leads") { request, context in try await queue(request, context) }
        admin.get("leads/:platform/:case") { _, context in
            let lead = try await visibleLead(context)
            return JSONResponse.make(.ok, lead)
        }
        admin.group().add(middleware: RoleGate(.city, .district))
            .post("leads/:platform/:case/steps") { request, context in try await recordStep(request, context) }
        let caseSystem = admin.group().add(middleware: RoleGate(.city, .auditor))
        caseSystem.get("leads/export") { request, _ in try await export(request) }
        caseSystem.get("leads/changes") { request, _ in try await changes(request) }
    }

    static func today() -> CivilDate { CivilDate(unixTime: Timestamp.now()) }

    func queue(_ request: Request, _ context: RegulatorRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        let jurisdiction = try context.scope()
        var stage: LeadStage?
        if let text = q.get("stage") {
            guard let s = LeadStage(rawValue: text) else {
                throw APIError(.badRequest, "stage must be one of \(LeadStage.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            stage = s
        }
        let limit = try QueryParameters.integer(request, "limit", default: 500, in: 1...5000)
        let pending = try QueryParameters.flag(request, "pending", default: false)
        let leads = try await store.read { [stage] s in try s.leads(LeadFilter(jurisdiction: jurisdiction, stage: stage, pending: pending,
                                                     assignee: QueryParameters.text(request, "assignee"),
                                                     uscc: QueryParameters.text(request, "uscc")),
                                          today: Self.today(), limit: limit) }
        return JSONResponse.make(.ok, LeadList(leads: leads, count: leads.count))
    }

    /// The lead of the path, when the caller's jurisdiction holds its enterprise; otherwise the
    /// same 404 as for a lead that does not exist.
    func visibleLead(_ context: RegulatorRequestContext) async throws -> Lead {
        try await visibleLead(platform: context.parameters.get("platform") ?? "", caseID: context.parameters.get("case") ?? "", context)
    }

    /// What a lead never sent, or outside the caller's jurisdiction, is answered.
    static func notFound(platform: String, caseID: String) -> APIError {
        APIError(.notFound, "no lead \(caseID) from platform \(platform)")
    }

    /// The same for a lead named otherwise than by the path.
    func visibleLead(platform: String, caseID: String, _ context: RegulatorRequestContext) async throws -> Lead {
        let notFound = Self.notFound(platform: platform, caseID: caseID)
        guard let lead = try await store.read({ try $0.lead(platformID: platform, caseID: caseID, today: Self.today()) }) else { throw notFound }
        try await context.requireJurisdiction(over: lead.uscc, store: store, denied: JurisdictionDenied(notFound: notFound))
        return lead
    }

    func recordStep(_ request: Request, _ context: RegulatorRequestContext) async throws -> Response {
        let lead = try await visibleLead(context)
        let body = try await request.body.collect(upTo: 64 * 1024)
        let step: LeadStep
        do {
            step = try JSONDecoder().decode(LeadStep.self, from: Data(buffer: body))
        } catch {
            throw APIError(.badRequest, "send {\"action\": assign|verify|file|not_file|transfer|close, \"assignee\", \"note\", "
                           + "\"transferred_to\", \"measure\", \"penalty_fen\"}")
        }
        let updated = try await record(step, on: lead, by: try context.requireIdentity())
        return JSONResponse.make(.created, updated)
    }

    /// Records `step` on a lead the caller may see (the API's JSON and the console's form both
    /// end here): the assignee's district, the order of the work (LeadStep.problem, in the
    /// store), the bell after a closure.
    func record(_ step: LeadStep, on lead: Lead, by identity: Identity) async throws -> Lead {
        if step.action == .assign, let assignee = step.assignee {
            try await checkAssignee(assignee, by: identity)
        }
        do {
            let updated = try await store.write { try $0.recordLeadStep(platformID: lead.platformID, caseID: lead.caseID, step,
                                                         officer: identity.actor, role: identity.role?.rawValue,
                                                         now: Timestamp.now(), today: Self.today()) }
            if step.action == .close { bell.ring() }
            return updated
        } catch LeadRefusal.invalid(let why) {
            throw APIError(.conflict, why)
        } catch LeadRefusal.noSuchLead {
            throw APIError(.notFound, "no lead \(lead.caseID) from platform \(lead.platformID)")
        }
    }

    /// A lead goes to an enabled officer of the bureau: the city's, or the same district's.
    func checkAssignee(_ username: String, by identity: Identity) async throws {
        guard let account = try await store.read({ try $0.staffAccount(username: username) }), !account.member.disabled,
              account.member.role == .district || account.member.role == .city else {
            throw APIError(.badRequest, "`assignee` must be an enabled city or district staff account; \(username) is not")
        }
        if case .staff(let me) = identity, me.role == .district, account.member.district != me.district {
            throw APIError(.badRequest, "a district bureau assigns its leads to its own officers; \(username) is not of \(me.district ?? "")")
        }
    }

    /// JSON Lines, one step per line, after `after` (a step's seq): for an existing case system to
    /// poll; the `X-Next-After` header is the seq to pass next.
    func export(_ request: Request) async throws -> Response {
        let (after, limit) = try Self.page(request)
        let steps = try await store.read { try $0.leadSteps(after: after, limit: limit) }
        return try Self.jsonLines(steps, next: steps.last?.seq ?? after)
    }

    /// JSON Lines, one lead version per line, after `after` (a version's id): every lead as the
    /// platforms' agents sent it — opened, overdue, rectified, each change — for a case system
    /// to take new leads in as they come (with the steps from `export`).
    func changes(_ request: Request) async throws -> Response {
        let (after, limit) = try Self.page(request)
        let versions = try await store.read { try $0.leadVersions(after: after, limit: limit, now: Timestamp.now()) }
        return try Self.jsonLines(versions, next: versions.last?.id ?? after)
    }

    static func page(_ request: Request) throws -> (after: Int64, limit: Int) {
        (Int64(try QueryParameters.integer(request, "after", default: 0, in: 0...Int.max)),
         try QueryParameters.integer(request, "limit", default: 1000, in: 1...10_000))
    }

    static func jsonLines(_ records: [some Encodable], next: Int64) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var buffer = ByteBuffer()
        for record in records { buffer.writeBytes(try encoder.encode(record)); buffer.writeInteger(UInt8(0x0a)) }
        return Response(status: .ok, headers: [.contentType: "application/x-ndjson",
                                               HTTPFields.Element.Name("X-Next-After")!: "\(next)"],
                        body: .init(byteBuffer: buffer))
    }
}

/// GET /v1/admin/leads answer.
struct LeadList: Encodable {
    var leads: [Lead]
    var count: Int
}
