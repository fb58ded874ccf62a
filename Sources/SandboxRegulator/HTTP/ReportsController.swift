import Hummingbird
import SandboxCore

/// `GET /v1/admin/reports/outcomes`: the seed's outcome figures for a period and region (roles
/// city, auditor, and district — a district's figures are its own division's).
struct ReportsController {
    let store: RegulatorStore

    func addRoutes(to admin: RouterGroup<RegulatorRequestContext>) {
        admin.group().add(middleware: RoleGate(.city, .auditor, .district))
            .get("reports/outcomes") { request, context in try await outcomes(request, context) }
    }

    func outcomes(_ request: Request, _ context: RegulatorRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        let today = CivilDate(unixTime: Timestamp.now())
        guard let (from, to) = OutcomeReport.period(from: q.get("from"), to: q.get("to"), today: today) else {
            throw APIError(.badRequest, "from and to must be days YYYY-MM-DD with from ≤ to (default: 1 January of to's year to today)")
        }
        let region = try Self.region(asked: q.get("region"), by: try context.requireIdentity())
        let report = try await store.read { s in try s.outcomes(from: from, to: to, region: region, now: Timestamp.now()) }
        return JSONResponse.make(.ok, report)
    }

    /// The region a report covers: as asked (2, 4 or 6 digits), except that a district bureau
    /// reports on its own division whatever it asks (a coarser prefix of it is refused).
    static func region(asked: String?, by identity: Identity) throws -> String? {
        if let r = asked, !OutcomeReport.isRegion(r) {
            throw APIError(.badRequest, "region must be 2, 4 or 6 digits of a 行政区划代码, e.g. 5101 (成都) or 510104")
        }
        if case .district(let code) = identity.jurisdiction {
            if let r = asked, !code.hasPrefix(r) && r != code {
                throw APIError(.forbidden, "a district bureau reports on its own division \(code)")
            }
            return code
        }
        return asked
    }
}
