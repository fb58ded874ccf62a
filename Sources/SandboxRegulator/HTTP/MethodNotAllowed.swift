import Hummingbird

/// Answers a request whose path exists under other methods with 405 and `Allow` (RFC 9110
/// §15.5.6), instead of the router's bare 404: a client that sent GET where POST was meant learns
/// what is allowed. The route table is read from the router once every route is added.
final class RouteTable: @unchecked Sendable {
    /// (path segments of a pattern, method); a segment starting with `{` or `:` matches anything.
    private var routes: [(segments: [Substring], method: String)] = []

    func load(_ routes: [(path: String, method: String)]) {
        self.routes = routes.map { (Self.segments($0.path), $0.method) }
    }

    /// The methods registered for a path, sorted; empty when the path is unknown.
    func methods(for path: String) -> [String] {
        let asked = Self.segments(path)
        let found = routes.filter { route in
            route.segments.count == asked.count && zip(route.segments, asked).allSatisfy { pattern, part in
                pattern.first == "{" || pattern.first == ":" || pattern == part
            }
        }.map(\.method)
        return Array(Set(found)).sorted()
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}

struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let table: RouteTable

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPResponseError where error.status == .notFound
                    && (context.endpointPath == nil || context.endpointPath == "NotFound") {
            // No route matched this method and path: Hummingbird's not-found responder marks the
            // endpoint "NotFound"; a handler's own 404 has its route's path there.
            let allowed = table.methods(for: request.uri.path)
            guard !allowed.isEmpty else { throw error }
            var response = JSONResponse.make(.methodNotAllowed, ["error": "\(request.method.rawValue) is not allowed on "
                + "\(request.uri.path); allowed: \(allowed.joined(separator: ", "))"])
            response.headers[.allow] = allowed.joined(separator: ", ")
            return response
        }
    }
}
