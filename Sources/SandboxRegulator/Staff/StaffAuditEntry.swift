/// One line of the staff audit trail: who did or looked at what, from where, and what came of it.
public struct StaffAuditEntry: Sendable, Codable, Equatable {
    public var seq: Int64
    /// Unix seconds.
    public var at: Int64
    /// A username, `admin-token` for the bootstrap token, or `anonymous` for a refused login.
    public var actor: String
    public var role: String?
    /// The caller's address as the server saw it (the proxy's, behind one).
    public var address: String?
    /// `METHOD /route` with the route's pattern, e.g. `GET /v1/admin/merchants/{uscc}`.
    public var action: String
    /// What it was about: a USCC, a username, a directive id.
    public var subject: String?
    /// `ok`, `denied` (outside the caller's jurisdiction or role), `refused` (bad credentials or
    /// input) or `error`.
    public var outcome: String
    /// The HTTP status answered.
    public var status: Int
    public var detail: String?

    public init(seq: Int64 = 0, at: Int64, actor: String, role: String?, address: String?, action: String,
                subject: String?, outcome: String, status: Int, detail: String? = nil) {
        self.seq = seq; self.at = at; self.actor = actor; self.role = role; self.address = address
        self.action = action; self.subject = subject; self.outcome = outcome; self.status = status; self.detail = detail
    }
}
