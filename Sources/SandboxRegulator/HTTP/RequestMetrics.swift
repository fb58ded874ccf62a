import Foundation
import Hummingbird

/// Requests counted by route and status, for /metrics.
public final class RequestMetrics: @unchecked Sendable {
    // @unchecked: `counts` is read and written only under `lock`.
    private let lock = NSLock()
    private var counts: [String: [UInt: Int]] = [:]

    public init() {}

    func record(route: String, status: UInt) {
        lock.withLock { counts[route, default: [:]][status, default: 0] += 1 }
    }

    /// Prometheus text lines for the request counter, sorted so scrapes diff cleanly.
    func exposition() -> String {
        let snapshot = lock.withLock { counts }
        var text = "# HELP sandbox_regulator_http_requests_total HTTP requests by route and status.\n"
        text += "# TYPE sandbox_regulator_http_requests_total counter\n"
        for route in snapshot.keys.sorted() {
            for (status, n) in snapshot[route]!.sorted(by: { $0.key < $1.key }) {
                text += "sandbox_regulator_http_requests_total{route=\"\(Self.escape(route))\",status=\"\(status)\"} \(n)\n"
            }
        }
        return text
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}

/// Counts every answer, including refusals thrown as errors, under the matched route's pattern
/// (`/v1/admin/merchants/{uscc}`, not each USCC, so the label set stays small).
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: RequestMetrics

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            metrics.record(route: context.endpointPath ?? "unmatched", status: UInt(response.status.code))
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.record(route: context.endpointPath ?? "unmatched", status: UInt(status))
            throw error
        }
    }
}
