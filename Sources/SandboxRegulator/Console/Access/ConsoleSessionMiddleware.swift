import Crypto
import Foundation
import Hummingbird

/// Establishes who is at the browser, for every console route: the session cookie alone (an
/// `Authorization` header counts for the API, not here — the console's identity is the cookie a
/// login set), looked up as a staff session in the store, so a session from any node is valid.
/// Also settles the language and the session's form token. Refuses nothing: the gates do.
struct ConsoleSessionMiddleware: RouterMiddleware {
    typealias Context = RegulatorRequestContext
    let store: RegulatorStore
    let cookies: ConsoleCookies

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.identity = nil
        context.authenticationProblem = nil
        context.credentialDigest = nil
        let asked = ConsoleLanguage(parameter: request.uri.queryParameters.get("lang"))
        context.console.language = asked ?? ConsoleLanguage(parameter: ConsoleCookies.value(ConsoleCookies.language, in: request)) ?? .zh
        context.console.languageChosen = asked != nil
        if let secret = ConsoleCookies.value(ConsoleCookies.session, in: request) {
            let digest = Array(SHA256.hash(data: Data(secret.utf8)))
            // Only a login's session: a personal API token is for scripts, not a cookie.
            if let found = try await store.read({ try $0.staffMember(credentialDigest: digest, now: Timestamp.now()) }),
               found.kind == "session" {
                context.identity = .staff(found.member)
                context.credentialDigest = digest
                context.console.csrfToken = ConsoleCSRF.token(sessionSecret: secret)
            }
        }
        var response = try await next(request, context)
        if let asked {
            response.headers.append(HTTPFields.Element(name: .setCookie, value: cookies.setCookie(ConsoleCookies.language, asked.rawValue,
                                                                                         maxAge: 365 * 86_400)))
        }
        return response
    }
}
