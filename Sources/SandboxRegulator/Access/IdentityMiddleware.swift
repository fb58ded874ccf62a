import Crypto
import Foundation
import Hummingbird

/// Establishes who is calling, once per request, and puts it on the context: a platform or the
/// admin token (the platforms file, compared in constant time by `Authenticator`), or a staff
/// member by session or personal API token (the store, by the token's SHA-256). It refuses
/// nothing itself: the gates of each route group decide what an identity may do.
struct IdentityMiddleware: RouterMiddleware {
    typealias Context = RegulatorRequestContext
    let authenticator: Authenticator
    let store: RegulatorStore

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        guard request.headers[.authorization] != nil else { return try await next(request, context) }
        do {
            switch try authenticator.caller(request) {
            case .admin: context.identity = .admin
            case .platform(let p): context.identity = .platform(p)
            }
        } catch {
            // Not a platform or the admin: perhaps a staff session or token.
            let secret = Self.bearerSecret(request)
            if let secret {
                let digest = Array(SHA256.hash(data: Data(secret.utf8)))
                if let found = try await store.read({ try $0.staffMember(credentialDigest: digest, now: Timestamp.now()) }) {
                    context.identity = .staff(found.member)
                    context.credentialDigest = digest
                }
            }
            if context.identity == nil {
                context.authenticationProblem = error.status == .unauthorized && secret != nil
                    ? APIError(.unauthorized, "bearer token not recognised: a platform token, the admin token, or a staff "
                               + "session or API token that is valid (staff: log in again at POST /v1/staff/login)")
                    : error
            }
        }
        return try await next(request, context)
    }

    static func bearerSecret(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let secret = parts[1].trimmingCharacters(in: .whitespaces)
        return secret.isEmpty ? nil : secret
    }
}
