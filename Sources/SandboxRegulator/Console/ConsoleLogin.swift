import Foundation
import Hummingbird
import SandboxPack

/// The console's login and logout: the staff login the API uses (StaffLogin: throttle, scrypt,
/// a session row valid on every node, audited), carried in an HttpOnly, SameSite=Strict cookie
/// instead of a bearer token. The login form itself is protected by a random value held in a
/// cookie and repeated in the form (there is no session yet to bind a token to).
struct ConsoleLogin {
    let store: RegulatorStore
    let staffLogin: StaffLogin
    let cookies: ConsoleCookies

    func form(_ request: Request, _ context: RegulatorRequestContext) -> Response {
        if context.identity != nil { return ConsolePage.redirect(to: "/console") }
        return page(request, context, status: .ok, problem: nil)
    }

    func submit(_ request: Request, _ context: RegulatorRequestContext) async throws -> Response {
        let form = try await ConsoleForm(request)
        guard ConsoleCSRF.matches(form[ConsoleCSRF.field], ConsoleCookies.value(ConsoleCookies.login, in: request)) else {
            throw APIError(.forbidden, context.console.t(.csrfRefused))
        }
        switch try await staffLogin.attempt(
            username: form.text("username") ?? "", password: form["password"] ?? "", address: context.address,
            action: "POST /console/login") {
        case .throttled(let wait):
            var response = page(request, context, status: .tooManyRequests, problem: context.console.t(.throttled) + " (\(wait) s)")
            response.headers[.retryAfter] = "\(wait)"
            return response
        case .refused:
            return page(request, context, status: .unauthorized, problem: context.console.t(.wrongLogin))
        case .signedIn(let secret, _, _):
            // Home: each role's first page (ConsoleRoutes).
            var response = ConsolePage.redirect(to: "/console")
            response.headers.append(HTTPFields.Element(name: .setCookie, value: cookies.setCookie(ConsoleCookies.session, secret,
                                                                                         maxAge: StaffSessions.sessionSeconds)))
            response.headers.append(HTTPFields.Element(name: .setCookie, value: cookies.setCookie(ConsoleCookies.login, "", maxAge: 0)))
            return response
        }
    }

    func logout(_ context: RegulatorRequestContext) async throws -> Response {
        if let digest = context.credentialDigest { try await store.write { try $0.removeStaffCredential(digest: digest) } }
        let identity = try context.requireIdentity()
        try await store.write { try $0.appendStaffAudit(StaffAuditEntry(
            at: Timestamp.now(), actor: identity.actor, role: identity.role?.rawValue, address: context.address,
            action: "POST /console/logout", subject: nil, outcome: "ok", status: 303)) }
        var response = ConsolePage.redirect(to: "/console/login")
        response.headers.append(HTTPFields.Element(name: .setCookie, value: cookies.setCookie(ConsoleCookies.session, "", maxAge: 0)))
        return response
    }

    /// The form, with the login cookie's value (a new one when the browser has none).
    private func page(_ request: Request, _ context: RegulatorRequestContext, status: HTTPResponse.Status, problem: String?) -> Response {
        let c = context.console
        let existing = ConsoleCookies.value(ConsoleCookies.login, in: request)
        let token = existing ?? StaffSessions.newSecret(prefix: "login-").secret
        let alert: HTML = problem.map { "<p class=\"error\" role=\"alert\">\($0)</p>" } ?? .empty
        let body: HTML = """
            <h1>\(c.t(.login))</h1>
            \(alert)
            <form method="post" action="/console/login">
            <input type="hidden" name="\(ConsoleCSRF.field)" value="\(token)">
            <label for="username">\(c.t(.username))</label>
            <input type="text" id="username" name="username" autocomplete="username" required autofocus>
            <label for="password">\(c.t(.password))</label>
            <input type="password" id="password" name="password" autocomplete="current-password" required>
            <div><button type="submit" id="login">\(c.t(.login))</button></div>
            </form>
            """
        var response = ConsolePage.render(title: c.t(.login), body, context: context, status: status, path: "/console/login")
        if existing == nil {
            response.headers.append(HTTPFields.Element(name: .setCookie, value: cookies.setCookie(ConsoleCookies.login, token, maxAge: 3600)))
        }
        return response
    }
}
