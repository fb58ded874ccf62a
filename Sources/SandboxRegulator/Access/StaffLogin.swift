import Foundation

/// A staff login, the same for the API (POST /v1/staff/login) and the console's form: the
/// throttle per username and address, the slow hash checked even for an unknown username (so
/// timing does not tell which exist), a session minted as a row of `staff_credentials` (valid on
/// every node), and the attempt in the audit trail under the route it came by.
struct StaffLogin {
    let store: RegulatorStore
    let throttle: LoginThrottle
    let passwords: StaffPasswords

    enum Outcome: Sendable {
        /// Too many failures: wait this many seconds.
        case throttled(seconds: Int64)
        /// Wrong username or password, or a disabled account.
        case refused
        case signedIn(secret: String, expiresAt: Int64, member: StaffMember)
    }

    /// `action` names the route in the audit trail (`POST /v1/staff/login`, `POST /console/login`).
    func attempt(username: String, password: String, address: String?, action: String) async throws -> Outcome {
        let now = Timestamp.now()
        let keys = ["user:" + username.lowercased(), "address:" + (address ?? "?")]
        let wait = throttle.wait(for: keys, now: now)
        guard wait == 0 else {
            try await audit(address, action, actor: username, status: 429, outcome: "refused", detail: "throttled")
            return .throttled(seconds: wait)
        }
        let account = try await store.read { try $0.staffAccount(username: username) }
        // The hash runs whether or not the account exists, so timing does not tell which.
        let matches = await passwords.verify(password, against: account?.passwordHash)
        guard let account, matches, !account.member.disabled else {
            throttle.failed(keys, now: now)
            try await audit(address, action, actor: account == nil ? "anonymous" : username, status: 401, outcome: "refused",
                            detail: account?.member.disabled == true ? "account disabled" : "wrong username or password")
            return .refused
        }
        throttle.succeeded([keys[0]])
        let minted = StaffSessions.newSecret(prefix: "sess-")
        let expires = now + StaffSessions.sessionSeconds
        try await store.write { try $0.addStaffCredential(digest: minted.digest, staffID: account.member.id, kind: "session", name: nil,
                                                           now: now, expiresAt: expires) }
        try await audit(address, action, actor: account.member.username, role: account.member.role.rawValue, status: 200,
                        outcome: "ok", detail: nil)
        return .signedIn(secret: minted.secret, expiresAt: expires, member: account.member)
    }

    private func audit(_ address: String?, _ action: String, actor: String, role: String? = nil, status: Int, outcome: String,
                       detail: String?) async throws {
        try await store.write { try $0.appendStaffAudit(StaffAuditEntry(
            at: Timestamp.now(), actor: actor, role: role, address: address, action: action,
            subject: nil, outcome: outcome, status: status, detail: detail)) }
    }
}
