import SandboxCore
import SandboxStorage

// Small facts kept between runs.
extension AgentState {
    public func meta(_ key: String) throws -> String? {
        let s = try database.prepare("SELECT value FROM agent_meta WHERE key = ?")
        defer { s.reset() }
        try s.bind(1, key)
        return try s.step() ? s.string(0) : nil
    }

    public func setMeta(_ key: String, _ value: String) throws {
        let s = try database.prepare(
            "INSERT INTO agent_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        defer { s.reset() }
        try s.bind(all: key, value)
        try s.step()
    }

    /// Every stored merchant, in the table's order, one at a time: memory stays flat over 469,000.
    /// `body` may write other tables (findings) meanwhile.
    /// `dueBy`: only the merchants whose calendar re-verification is due by that day (`reverify_on`).
    public func forEachMerchant(dueBy: CivilDate? = nil, _ body: (MerchantRecord) throws -> Void) throws {
        let s = try database.prepareUncached(dueBy == nil ? Self.selectAllMerchantsSQL : Self.selectDueMerchantsSQL,
                                             persistent: false)
        var last: Int64 = 0
        // Keyset pages rather than one long-running statement: the body writes in the same
        // connection, and short statements keep that simple and safe.
        while true {
            try s.bind(1, last)
            if let dueBy { try s.bind(2, dueBy) }
            var count = 0
            while try s.step() {
                let m = try merchantRow(s)
                last = s.int64(Int32(Self.merchantColumns.count))
                count += 1
                try body(m)
            }
            s.reset()
            if count < 1_000 { break }
        }
    }
}
