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
        var region = q.get("region")
        if let r = region, !OutcomeReport.isRegion(r) {
            throw APIError(.badRequest, "region must be 2, 4 or 6 digits of a 行政区划代码, e.g. 5101 (成都) or 510104")
        }
        if case .district(let code) = try context.requireIdentity().jurisdiction {
            // A district sees its own division's figures (or a finer prefix of it: none finer exists).
            if let r = region, !code.hasPrefix(r) && r != code {
                throw APIError(.forbidden, "a district bureau reports on its own division \(code)")
            }
            region = code
        }
        let report = try await store.read { [region] s in try s.outcomes(from: from, to: to, region: region, now: Timestamp.now()) }
        return JSONResponse.make(.ok, report)
    }
}
