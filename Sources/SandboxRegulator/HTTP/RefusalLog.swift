import Hummingbird
import Logging

/// Logs every refused credential (401) and refused access (403) at `info`: who — the peer, its
/// `X-Forwarded-For`, the platform when the token named one — where (method, path) and the reason
/// sent back. Never the token or the signature: no `APIError` message carries one, and no header
/// value is logged but X-Forwarded-For. An operator sees a guessed token or a stale agent clock
/// in the journal, not only in a counter. Every other failed request is logged the same way
/// ("request failed", `info` for the caller's fault, `error` for the server's), so a platform
/// whose batches are refused as too large or malformed shows in the journal too (issue 17).
struct RefusalLog: RouterMiddleware {
    typealias Context = RegulatorRequestContext

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            var metadata = Self.metadata(request, context, status: error.status.code)
            metadata["reason"] = "\(error.message.prefix(500))"
            if let platform = error.platformID { metadata["platform_id"] = "\(platform)" }
            switch error.status {
            case .unauthorized: context.logger.info("authentication failed", metadata: metadata)
            case .forbidden: context.logger.info("forbidden", metadata: metadata)
            case _ where error.status.code >= 500: context.logger.error("request failed", metadata: metadata)
            default: context.logger.info("request failed", metadata: metadata)
            }
            throw error
        } catch {
            // Not ours to describe to the caller (Hummingbird answers it); the journal gets the type.
            var metadata = Self.metadata(request, context, status: (error as? HTTPResponseError)?.status.code ?? 500)
            metadata["error"] = "\(type(of: error))"
            context.logger.info("request failed", metadata: metadata)
            throw error
        }
    }

    private static func metadata(_ request: Request, _ context: Context, status: Int) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "peer": "\(context.peer)", "method": "\(request.method.rawValue)", "path": "\(request.uri.path)",
            "status": "\(status)",
        ]
        if let forwarded = request.headers[Self.forwardedFor] { metadata["forwarded_for"] = "\(forwarded.prefix(200))" }
        return metadata
    }

    static let forwardedFor = HTTPFields.Element.Name("X-Forwarded-For")!
}
