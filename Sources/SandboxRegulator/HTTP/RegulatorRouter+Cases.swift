import Foundation
import Hummingbird

/// GET /v1/admin/cases (docs/policy.md §10.3): the platforms' cases, i.e. the leads (违法预警线索).
extension RegulatorRouter {
    func getCases(_ request: Request) async throws -> Response {
        let q = request.uri.queryParameters
        var states: [String]? = nil
        if let state = q.get("state") {
            guard let s = CaseFilter.states[state] else {
                throw APIError(.badRequest, "query parameter `state` must be open, overdue or closed, got \(state)")
            }
            states = s
        }
        let uscc = try q.get("uscc").map { try Self.usccParameter($0) }
        let rule = q.get("rule").flatMap { $0.isEmpty ? nil : $0 }
        let limit = try query(request, "limit", default: 1000, in: 1...5000)
        let cases = try await store.read { [states] s in try s.cases(CaseFilter(states: states, ruleID: rule, uscc: uscc), limit: Int(limit)) }
        return JSONResponse.make(.ok, CaseList(cases: cases, count: cases.count))
    }
}
