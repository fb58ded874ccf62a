import Foundation
import Hummingbird

/// `/v1/staff/…`: a staff member's own session — log in, who am I, log out, personal API tokens.
struct StaffController {
    let store: RegulatorStore
    let throttle: LoginThrottle

    func addRoutes(to group: RouterGroup<RegulatorRequestContext>) {
        group.post("login") { request, context in try await login(request, context) }
        let signedIn = group.group().add(middleware: StaffGate(store: store))
        signedIn.get("me") { _, context in
            guard let member = try context.requireIdentity().staffMember else {
                throw APIError(.forbidden, "the admin token is no staff member; log in with a staff account")
            }
            return JSONResponse.make(.ok, member)
        }
        signedIn.post("logout") { _, context in
            if let digest = context.credentialDigest { try await store.write({ try $0.removeStaffCredential(digest: digest) }) }
            return JSONResponse.make(.ok, ["status": "logged out"])
        }
        signedIn.post("tokens") { request, context in try await newToken(request, context) }
    }

    struct Login: Decodable { var username: String; var password: String }

    func login(_ request: Request, _ context: RegulatorRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 * 1024)
        guard let login = try? JSONDecoder().decode(Login.self, from: Data(buffer: body)) else {
            throw APIError(.badRequest, "send {\"username\": …, \"password\": …} as JSON")
        }
        let now = Timestamp.now()
        let keys = ["user:" + login.username.lowercased(), "address:" + (context.address ?? "?")]
        let wait = throttle.wait(for: keys, now: now)
        guard wait == 0 else {
            try await audit(context, actor: login.username, status: 429, outcome: "refused", detail: "throttled")
            var response = JSONResponse.make(.tooManyRequests, ["error": "too many failed logins; try again in \(wait) s"])
            response.headers[.retryAfter] = "\(wait)"
            return response
        }
        let account = try await store.read { try $0.staffAccount(username: login.username) }
        // The hash runs whether or not the account exists, so timing does not tell which.
        let matches = PasswordHash.verify(login.password, against: account?.passwordHash ?? Self.decoyHash)
        guard let account, matches, !account.member.disabled else {
            throttle.failed(keys, now: now)
            try await audit(context, actor: account == nil ? "anonymous" : login.username, status: 401, outcome: "refused",
                            detail: account?.member.disabled == true ? "account disabled" : "wrong username or password")
            throw APIError(.unauthorized, "wrong username or password (or the account is disabled)")
        }
        throttle.succeeded([keys[0]])
        let minted = StaffSessions.newSecret(prefix: "sess-")
        try await store.write { try $0.addStaffCredential(digest: minted.digest, staffID: account.member.id, kind: "session", name: nil,
                                           now: now, expiresAt: now + StaffSessions.sessionSeconds) }
        try await audit(context, actor: account.member.username, role: account.member.role.rawValue, status: 200,
                        outcome: "ok", detail: nil)
        return JSONResponse.make(.ok, Session(token: minted.secret, expiresAt: Timestamp.iso(now + StaffSessions.sessionSeconds),
                                              staff: account.member))
    }

    struct Session: Encodable {
        var token: String, expiresAt: String, staff: StaffMember
        enum CodingKeys: String, CodingKey { case token, staff, expiresAt = "expires_at" }
    }

    struct NewToken: Decodable { var name: String; var days: Int? }

    func newToken(_ request: Request, _ context: RegulatorRequestContext) async throws -> Response {
        guard let member = try context.requireIdentity().staffMember else {
            throw APIError(.forbidden, "the admin token is no staff member; log in with a staff account")
        }
        let body = try await request.body.collect(upTo: 16 * 1024)
        guard let new = try? JSONDecoder().decode(NewToken.self, from: Data(buffer: body)),
              (1...100).contains(new.name.count), new.days.map({ (1...366).contains($0) }) ?? true else {
            throw APIError(.badRequest, "send {\"name\": \"what it is for\", \"days\": 1…366 (optional; none: until the account is disabled)}")
        }
        let now = Timestamp.now()
        let expires = new.days.map { now + Int64($0) * 86_400 }
        let minted = StaffSessions.newSecret(prefix: "stok-")
        try await store.write { try $0.addStaffCredential(digest: minted.digest, staffID: member.id, kind: "token", name: new.name,
                                           now: now, expiresAt: expires) }
        return JSONResponse.make(.created, ["token": minted.secret, "name": new.name,
                                            "expires_at": expires.map(Timestamp.iso) ?? "never"])
    }

    private func audit(_ context: RegulatorRequestContext, actor: String, role: String? = nil, status: Int, outcome: String,
                       detail: String?) async throws {
        try await store.write { try $0.appendStaffAudit(StaffAuditEntry(
            at: Timestamp.now(), actor: actor, role: role, address: context.address, action: "POST /v1/staff/login",
            subject: nil, outcome: outcome, status: status, detail: detail)) }
    }

    /// A valid hash of a random password, checked when the username is unknown.
    static let decoyHash: String = (try? PasswordHash.make(UUID().uuidString)) ?? ""
}
