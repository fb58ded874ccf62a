import Foundation
import Hummingbird
import SandboxCore
import SandboxPolicy

/// `/v1/admin/proposals…`: the ladder steps that restrict trade (suspend, terminate), proposed by
/// the agents with the case's evidence and issued only when an officer confirms them (issue 12;
/// DOMAIN §5.3). City and district officers decide (confirm, defer to a day, cancel with a
/// reason) within their jurisdiction; the decision goes to the platform's agent as a
/// `confirmation` directive, and its next pass issues the step or not.
struct ProposalsController {
    let store: RegulatorStore
    let bell: DirectiveBell

    func addRoutes(to admin: RouterGroup<RegulatorRequestContext>) {
        admin.get("proposals") { request, context in try await queue(request, context) }
        admin.get("proposals/:platform/:case") { _, context in JSONResponse.make(.ok, try await visible(context)) }
        admin.group().add(middleware: RoleGate(.city, .district))
            .post("proposals/:platform/:case") { request, context in try await decide(request, context) }
    }

    /// `state`: `waiting` (pending and deferred, the default), one state, or `all`.
    static func states(_ text: String?) throws -> [CaseProposal.State] {
        switch text ?? "waiting" {
        case "waiting": return [.pending, .deferred]
        case "all": return CaseProposal.State.allCases
        case let t:
            guard let s = CaseProposal.State(rawValue: t) else {
                throw APIError(.badRequest, "state must be waiting, all or one of "
                               + CaseProposal.State.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return [s]
        }
    }

    func queue(_ request: Request, _ context: RegulatorRequestContext) async throws -> Response {
        let states = try Self.states(QueryParameters.text(request, "state"))
        let limit = try QueryParameters.integer(request, "limit", default: 500, in: 1...5000)
        let jurisdiction = try context.scope()
        let list = try await store.read { try $0.proposals(jurisdiction: jurisdiction, states: states,
                                                            today: LeadsController.today(), limit: limit) }
        return JSONResponse.make(.ok, ProposalList(proposals: list, count: list.count))
    }

    /// The proposal of the path when the caller's jurisdiction holds its enterprise; otherwise
    /// the same 404 as for a case without one.
    func visible(_ context: RegulatorRequestContext) async throws -> Proposal {
        try await visible(platform: context.parameters.get("platform") ?? "", caseID: context.parameters.get("case") ?? "", context)
    }

    /// What a case without a proposal, or outside the caller's jurisdiction, is answered.
    static func notFound(platform: String, caseID: String) -> APIError {
        APIError(.notFound, "no proposed step on case \(caseID) of platform \(platform)")
    }

    /// The same for a case named otherwise than by the path.
    func visible(platform: String, caseID: String, _ context: RegulatorRequestContext) async throws -> Proposal {
        let notFound = Self.notFound(platform: platform, caseID: caseID)
        guard let p = try await store.read({ try $0.proposal(platformID: platform, caseID: caseID, today: LeadsController.today()) })
        else { throw notFound }
        try await context.requireJurisdiction(over: p.uscc, store: store, denied: JurisdictionDenied(notFound: notFound))
        return p
    }

    struct Decision: Decodable { var decision: ProposalVerdict; var until: String?; var reason: String? }

    func decide(_ request: Request, _ context: RegulatorRequestContext) async throws -> Response {
        let p = try await visible(context)
        let body = try await request.body.collect(upTo: 64 * 1024)
        let usage = "send {\"decision\": confirm|defer|cancel, \"until\": \"YYYY-MM-DD\" (defer), \"reason\": text (defer, cancel)}"
        guard let d = try? JSONDecoder().decode(Decision.self, from: Data(buffer: body)) else { throw APIError(.badRequest, usage) }
        var until: CivilDate?
        if let text = d.until {
            guard let day = CivilDate(isoText: text) else { throw APIError(.badRequest, "`until` must be a day as YYYY-MM-DD; " + usage) }
            until = day
        }
        let decided = try await record(d.decision, until: until, reason: d.reason, on: p, by: try context.requireIdentity())
        return JSONResponse.make(.created, decided)
    }

    /// Records a decision on a visible proposal and wakes the directive long polls; the API and
    /// the console both decide through here (the checks, the organ, the directive).
    func record(_ verdict: ProposalVerdict, until: CivilDate?, reason: String?, on p: Proposal,
                by identity: Identity) async throws -> Proposal {
        let issuer = await IssuingOrgan.name(for: identity, store: store)
        do {
            let (decided, _) = try await store.write {
                try $0.decideProposal(platformID: p.platformID, caseID: p.caseID, verdict, until: until, reason: reason,
                                      officer: identity.actor, role: identity.role?.rawValue, issuer: issuer,
                                      now: Timestamp.now(), today: LeadsController.today())
            }
            bell.ring()
            return decided
        } catch ProposalRefusal.invalid(let why) {
            throw APIError(.conflict, why)
        } catch ProposalRefusal.noSuchProposal {
            throw APIError(.notFound, "no proposed step on case \(p.caseID) of platform \(p.platformID)")
        }
    }
}

/// GET /v1/admin/proposals answer.
struct ProposalList: Encodable {
    var proposals: [Proposal]
    var count: Int
}
