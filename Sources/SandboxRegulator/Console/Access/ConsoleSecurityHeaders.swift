import Hummingbird

/// The headers every console answer carries, error pages included: a Content-Security-Policy
/// that allows only the console's own files (no inline script or style, no other origin, no
/// framing, forms only to itself), the older X-Frame-Options for browsers without
/// frame-ancestors, no MIME sniffing, no referrer (URLs carry USCCs), and no caching of pages
/// that hold personal data.
struct ConsoleSecurityHeaders: RouterMiddleware {
    typealias Context = RegulatorRequestContext

    static let contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[HTTPFields.Element.Name("Content-Security-Policy")!] = Self.contentSecurityPolicy
        response.headers[HTTPFields.Element.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPFields.Element.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPFields.Element.Name("Referrer-Policy")!] = "no-referrer"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}
