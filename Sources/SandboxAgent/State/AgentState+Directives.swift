import SandboxStorage

// Directives already written to the outbox.
extension AgentState {
    public func hasDirective(id: String) throws -> Bool {
        let s = try database.prepare("SELECT 1 FROM directives WHERE id = ?")
        defer { s.reset() }
        try s.bind(1, id)
        return try s.step()
    }

    /// `payload`: kept for the directives the next policy pass applies: `sandbox` (admit/remove)
    /// and `confirmation` (an officer's decision on a proposed ladder step).
    func recordDirective(id: String, cursor: Int64, type: String, merchantID: String?, uscc: String?,
                         fileName: String, receivedAt: Int64, payload: String? = nil) throws {
        let s = try database.prepare("""
            INSERT INTO directives (id, cursor, type, platform_merchant_id, uscc, file_name, received_at, payload, policy_applied)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        defer { s.reset() }
        let forThePass = (type == "sandbox" && (merchantID != nil || uscc != nil)) || type == "confirmation"
        try s.bind(all: id, cursor, type, merchantID, uscc, fileName, receivedAt, payload, forThePass ? 0 : 1)
        try s.step()
    }

    public func directiveCount() throws -> Int {
        Int(try database.int64("SELECT count(*) FROM directives") ?? 0)
    }
}
