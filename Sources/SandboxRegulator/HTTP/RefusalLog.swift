import Hummingbird
import Logging

/// Logs every refused credential (401) and refused access (403) at `info`: who — the peer, its
/// `X-Forwarded-For`, the platform when the token named one — where (method, path) and the reason
/// sent back. Never the token or the signature: no `APIError` message carries one, and no header
/// value is logged but X-Forwarded-For. An operator sees a guessed token or a stale agent clock
/// in the journal, not only in a counter.
struct RefusalLog: RouterMiddleware {
    typealias Context = RegulatorRequestContext

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError where error.status == .unauthorized || error.status == .forbidden {
            var metadata: Logger.Metadata = [
                "peer": "\(context.peer)", "method": "\(request.method.rawValue)", "path": "\(request.uri.path)",
                "status": "\(error.status.code)", "reason": "\(error.message)",
            ]
            if let platform = error.platformID { metadata["platform_id"] = "\(platform)" }
            if let forwarded = request.headers[Self.forwardedFor] { metadata["forwarded_for"] = "\(forwarded.prefix(200))" }
            context.logger.info(error.status == .unauthorized ? "authentication failed" : "forbidden", metadata: metadata)
            throw error
        }
    }

    static let forwardedFor = HTTPFields.Element.Name("X-Forwarded-For")!
}
