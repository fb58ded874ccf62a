import Foundation
import Hummingbird
import SandboxCore

/// `/v1/staff/…`: a staff member's own session — log in, who am I, log out, personal API tokens.
struct StaffController {
    let store: RegulatorStore
    let staffLogin: StaffLogin

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
        switch try await staffLogin.attempt(
            username: login.username, password: login.password, address: context.address, action: "POST /v1/staff/login") {
        case .throttled(let wait):
            var response = JSONResponse.make(.tooManyRequests, ["error": "too many failed logins; try again in \(wait) s"])
            response.headers[.retryAfter] = "\(wait)"
            return response
        case .refused:
            throw APIError(.unauthorized, "wrong username or password (or the account is disabled)")
        case .signedIn(let secret, let expiresAt, let member):
            return JSONResponse.make(.ok, Session(token: secret, expiresAt: UTCTime.rfc3339(expiresAt), staff: member))
        }
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
                                            "expires_at": expires.map(UTCTime.rfc3339) ?? "never"])
    }
}
