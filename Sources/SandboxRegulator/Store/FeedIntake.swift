import SandboxStorage

/// One batch's items written into `records`, and what that changed in the figures staff read
/// without scanning: records per platform and type, and the per-USCC enterprise view (how many
/// storefronts each platform has under each USCC, on how many platforms each enterprise trades).
/// Each item is looked up once by its key; what it was decides what is written:
/// - new: inserted, counted;
/// - other content, not an older version (no version counts as 0): replaced — a late or replayed
///   batch rolls nothing back;
/// - same content under a newer version: the version moves on, so an older version with other
///   content that comes later is still refused;
/// - anything else: nothing.
/// Runs inside the feed's transaction, so the figures change exactly when the records do.
struct FeedIntake {
    let session: StoreSession
    let now: Int64
    /// Records added per type.
    private(set) var added: [String: Int] = [:]
    /// Change in this platform's merchant count per USCC.
    private(set) var storefronts: [String: Int] = [:]

    init(session: StoreSession, now: Int64) {
        self.session = session
        self.now = now
    }

    private var database: any SQLSession { session.database }

    mutating func apply(_ item: FeedItem) throws {
        let find = try database.prepare("SELECT uscc, content_hash, version FROM records WHERE platform_id = ? AND type = ? AND key = ?")
        try find.bind(1, item.platformID)
        try find.bind(2, item.kind.rawValue)
        try find.bind(3, item.key)
        let found = try find.step()
        let prior = found ? (uscc: find.string(0), hash: find.string(1) ?? "", version: find.int64OrNil(2) ?? 0) : nil
        find.reset()

        guard let prior else {
            let insert = try database.prepare("""
                INSERT INTO records (platform_id, type, key, uscc, content_hash, data, updated_at, pack_version, pack_serial, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            defer { insert.reset() }
            try bindRecord(insert, item)
            try insert.step()
            added[item.kind.rawValue, default: 0] += 1
            if item.kind == .merchant { move(from: nil, to: item.uscc) }
            if item.kind == .roster || item.kind == .case { try session.appendHistory(item, now: now) }
            return
        }
        let version = item.version ?? 0
        if prior.hash != item.contentHash, version >= prior.version {
            let update = try database.prepare("""
                UPDATE records SET uscc = ?4, content_hash = ?5, data = ?6, updated_at = ?7, pack_version = ?8, pack_serial = ?9,
                                   version = ?10
                WHERE platform_id = ?1 AND type = ?2 AND key = ?3
                """)
            defer { update.reset() }
            try bindRecord(update, item)
            try update.step()
            if item.kind == .merchant, prior.uscc != item.uscc { move(from: prior.uscc, to: item.uscc) }
            if item.kind == .roster || item.kind == .case { try session.appendHistory(item, now: now) }
        } else if prior.hash == item.contentHash, version > prior.version {
            let bump = try database.prepare("UPDATE records SET version = ?4 WHERE platform_id = ?1 AND type = ?2 AND key = ?3")
            defer { bump.reset() }
            try bump.bind(1, item.platformID)
            try bump.bind(2, item.kind.rawValue)
            try bump.bind(3, item.key)
            try bump.bind(4, version)
            try bump.step()
        }
    }

    private func bindRecord(_ s: some SQLStatement, _ item: FeedItem) throws {
        try s.bind(1, item.platformID)
        try s.bind(2, item.kind.rawValue)
        try s.bind(3, item.key)
        try s.bind(4, item.uscc)
        try s.bind(5, item.contentHash)
        try s.bind(6, item.dataJSON)
        try s.bind(7, now)
        try s.bind(8, item.packVersion)
        try s.bind(9, item.packSerial)
        try s.bind(10, item.version)
    }

    private mutating func move(from old: String?, to new: String?) {
        if let old { storefronts[old, default: 0] -= 1 }
        if let new { storefronts[new, default: 0] += 1 }
    }

    /// Writes the figures: records per type, then the enterprise view in USCC order (so two
    /// nodes' batches touching the same enterprises take their row locks in one order and never
    /// deadlock), then the platform's distinct-USCC count and its share of the enterprises count.
    func commitFigures(platformID: String) throws {
        let count = try database.prepare("""
            INSERT INTO record_counts (platform_id, type, records) VALUES (?1, ?2, ?3)
            ON CONFLICT (platform_id, type) DO UPDATE SET records = record_counts.records + ?3
            """)
        for (type, n) in added.sorted(by: { $0.key < $1.key }) {
            try count.bind(all: platformID, type, n)
            try count.step()
            count.reset()
        }
        var distinct = 0, enterprises = 0
        let storefront = try database.prepare("""
            INSERT INTO enterprise_platforms (uscc, platform_id, merchants) VALUES (?1, ?2, ?3)
            ON CONFLICT (uscc, platform_id) DO UPDATE SET merchants = enterprise_platforms.merchants + ?3
            RETURNING merchants
            """)
        let enterprise = try database.prepare("""
            INSERT INTO enterprises (uscc, platforms) VALUES (?1, ?2)
            ON CONFLICT (uscc) DO UPDATE SET platforms = enterprises.platforms + ?2
            RETURNING platforms
            """)
        for (uscc, delta) in storefronts.sorted(by: { $0.key < $1.key }) where delta != 0 {
            try storefront.bind(all: uscc, platformID, delta)
            _ = try storefront.step()
            let after = storefront.int(0)
            storefront.reset()
            let before = after - delta
            let platforms = before == 0 && after > 0 ? 1 : before > 0 && after == 0 ? -1 : 0
            guard platforms != 0 else { continue }
            distinct += platforms
            try enterprise.bind(all: uscc, platforms)
            _ = try enterprise.step()
            let trading = enterprise.int(0)
            enterprise.reset()
            if platforms == 1 && trading == 1 { enterprises += 1 }
            if platforms == -1 && trading == 0 { enterprises -= 1 }
        }
        if distinct != 0 || enterprises != 0 {
            let figures = try database.prepare("""
                UPDATE platform_counters SET distinct_uscc = distinct_uscc + ?2, enterprises_added = enterprises_added + ?3
                WHERE platform_id = ?1
                """)
            defer { figures.reset() }
            try figures.bind(all: platformID, distinct, enterprises)
            try figures.step()
        }
    }
}
