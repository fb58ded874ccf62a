import SandboxStorage

extension StoreSession {
    /// Appends a new `roster` or `case` version to its history table (inside the feed's
    /// transaction). The few columns staff filter on are copied out of `data`; `data` is kept whole.
    func appendHistory(_ item: FeedItem, now: Int64) throws {
        let data = JSONValue.parse(Array(item.dataJSON.utf8)) ?? .null
        let s: any SQLStatement
        if item.kind == .roster {
            s = try database.prepare("""
                INSERT INTO roster_history (platform_id, key, uscc, content_hash, data, pack_version, pack_serial,
                                            received_at, member, decision, source)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            var member: Int? = nil
            if case .bool(let b)? = data["member"] { member = b ? 1 : 0 }
            try s.bind(9, member)
            try s.bind(10, data["decision"]?["decision"]?.stringValue)
            try s.bind(11, data["source"]?.stringValue)
        } else {
            s = try database.prepare("""
                INSERT INTO case_history (platform_id, key, uscc, content_hash, data, pack_version, pack_serial,
                                          received_at, rule_id, state)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            try s.bind(9, data["rule_id"]?.stringValue)
            try s.bind(10, data["state"]?.stringValue)
        }
        defer { s.reset() }
        try s.bind(1, item.platformID)
        try s.bind(2, item.key)
        try s.bind(3, item.uscc)
        try s.bind(4, item.contentHash)
        try s.bind(5, item.dataJSON)
        try s.bind(6, item.packVersion)
        try s.bind(7, item.packSerial)
        try s.bind(8, now)
        try s.step()
    }

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
