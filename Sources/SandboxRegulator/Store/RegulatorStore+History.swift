import SandboxStorage

extension StoreSession {
    /// How many versions a history table holds for one platform's key (tests, audits).
    public func historyCount(_ kind: FeedItem.Kind, platformID: String, key: String) throws -> Int {
        let table = kind == .roster ? "roster_history" : "case_history"
        let s = try database.prepare("SELECT COUNT(*) FROM \(table) WHERE platform_id = ? AND key = ?")
        defer { s.reset() }
        try s.bind(1, platformID)
        try s.bind(2, key)
        _ = try s.step()
        return s.int(0)
    }
}
