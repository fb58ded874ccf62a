import SandboxStorage

/// What a stored record was, as the intake needs it to decide what an item does.
struct PriorRecord: Sendable {
    var uscc: String?
    var contentHash: String
    var version: Int64
    /// A storefront (a merchant record) the platform reported closed (StorefrontStatus); false
    /// for every other type.
    var closed = false
}

/// What a batch changes in an enterprise's row: platforms it has storefronts on, storefronts of
/// its still trading.
struct EnterpriseDelta: Sendable {
    var uscc: String
    var platforms: Int
    var trading: Int
}

/// A record's identity within one platform.
struct RecordKey: Hashable, Sendable {
    var type: String
    var key: String
}

/// The feed intake's reads and writes of `records`, in bulk: what the batch's keys were before,
/// then its new rows, replaced rows and moved-on versions, each as one set. FeedIntake decides
/// (the same rules on both engines); a writer only moves rows. SQLite does it row by row through
/// prepared statements (in-process, a row costs microseconds); PostgreSQL in one statement per
/// set over arrays, because there a row by row costs a network round trip each.
protocol RecordWriter {
    func prior(platformID: String, keys: [RecordKey]) throws -> [RecordKey: PriorRecord]
    func insert(_ items: [FeedItem], now: Int64) throws
    func replace(_ items: [FeedItem], now: Int64) throws
    func moveVersion(platformID: String, _ versions: [(RecordKey, Int64)]) throws
    /// Appends these `roster` and `case` versions (all of one platform) to their history tables,
    /// each table's rows in the given order (`case_history`'s ids are an export's cursor).
    func appendHistory(_ items: [FeedItem], now: Int64) throws
    /// Adds each delta to the platform's storefront count under the USCC (the per-USCC view), in
    /// USCC order; the counts after.
    func addStorefronts(platformID: String, _ deltas: [(uscc: String, delta: Int)]) throws -> [String: Int]
    /// Adds the deltas to the number of platforms the enterprise has storefronts on and to the
    /// number of its storefronts still trading (not reported closed), in USCC order, one row
    /// each; the numbers after.
    func addEnterprises(_ deltas: [EnterpriseDelta]) throws -> [String: (platforms: Int, trading: Int)]
    /// Brings the lead queue's rows (`lead_queue`, LeadQueueRows) up to date for these cases of
    /// the platform and for every case of these enterprises (sorted): what the batch wrote of
    /// cases and storefronts moves a case's sort keys and places; `pruning`: rows of places that
    /// no longer hold a case are taken out too (LeadQueueRows.keep says when that can happen).
    func keepLeadQueue(platformID: String, caseKeys: [String], usccs: [String], pruning: Bool) throws
    /// Adds the console search's terms (sorted), leaving those already there.
    func addSearchTerms(_ terms: [SearchTerm]) throws
    /// Marks enterprises (sorted) for a new roster decision (StoreSession+KeptRoster).
    func markRosterDirty(_ usccs: [String]) throws
    /// The stored USCC and data of these keys: the records about to be replaced whose type counts
    /// outcomes, so what they counted can be taken away (OutcomeContribution).
    func storedData(platformID: String, keys: [RecordKey]) throws -> [RecordKey: (uscc: String?, data: String)]
    /// Adds each delta to its outcome count, in the given (key) order.
    func addOutcomeCounts(_ changes: [(key: OutcomeCountKey, delta: Int)]) throws
    /// Adds each delta to the platform's storefront count in the division, in division order.
    func addDivisionStorefronts(platformID: String, _ deltas: [(division: String, delta: Int)]) throws
    /// Adds each delta to the division's storefronts reported closed ('' without a USCC), in
    /// division order.
    func addClosedStorefronts(_ deltas: [(division: String, delta: Int)]) throws
    /// Adds the deltas to the division's count of enterprises with storefronts on a platform and
    /// to its count of enterprises with a storefront still trading, in division order.
    func addDivisionEnterprises(_ deltas: [(division: String, enterprises: Int, trading: Int)]) throws
}

/// Row by row through cached prepared statements (SQLite, and any session without arrays).
struct RowRecordWriter: RecordWriter {
    let database: any SQLSession

    func prior(platformID: String, keys: [RecordKey]) throws -> [RecordKey: PriorRecord] {
        let find = try database.prepare("""
            SELECT uscc, content_hash, version, \(StorefrontStatus.closedPredicate) FROM records
            WHERE platform_id = ? AND type = ? AND key = ?
            """)
        var out: [RecordKey: PriorRecord] = [:]
        for k in keys where out[k] == nil {
            try find.bind(1, platformID)
            try find.bind(2, k.type)
            try find.bind(3, k.key)
            if try find.step() {
                out[k] = PriorRecord(uscc: find.string(0), contentHash: find.string(1) ?? "", version: find.int64OrNil(2) ?? 0,
                                     closed: find.int(3) == 1)
            }
            find.reset()
        }
        return out
    }

    func insert(_ items: [FeedItem], now: Int64) throws {
        let s = try database.prepare("""
            INSERT INTO records (platform_id, type, key, uscc, content_hash, data, updated_at, pack_version, pack_serial, version)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for item in items { try write(s, item, now: now) }
    }

    func replace(_ items: [FeedItem], now: Int64) throws {
        let s = try database.prepare("""
            UPDATE records SET uscc = ?4, content_hash = ?5, data = ?6, updated_at = ?7, pack_version = ?8, pack_serial = ?9,
                               version = ?10
            WHERE platform_id = ?1 AND type = ?2 AND key = ?3
            """)
        for item in items { try write(s, item, now: now) }
    }

    func moveVersion(platformID: String, _ versions: [(RecordKey, Int64)]) throws {
        let s = try database.prepare("UPDATE records SET version = ?4 WHERE platform_id = ?1 AND type = ?2 AND key = ?3")
        for (k, version) in versions {
            try s.bind(all: platformID, k.type, k.key, version)
            try s.step()
            s.reset()
        }
    }

    func appendHistory(_ items: [FeedItem], now: Int64) throws {
        let roster = try database.prepare("""
            INSERT INTO roster_history (platform_id, key, uscc, content_hash, data, pack_version, pack_serial,
                                        received_at, member, decision, source)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let cases = try database.prepare("""
            INSERT INTO case_history (platform_id, key, uscc, content_hash, data, pack_version, pack_serial,
                                      received_at, rule_id, state)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for item in items {
            let columns = HistoryColumns(item)
            let s = item.kind == .roster ? roster : cases
            if item.kind == .roster {
                try s.bind(9, columns.member)
                try s.bind(10, columns.decision)
                try s.bind(11, columns.source)
            } else {
                try s.bind(9, columns.ruleID)
                try s.bind(10, columns.state)
            }
            try s.bind(all: item.platformID, item.key, item.uscc, item.contentHash, item.dataJSON, item.packVersion, item.packSerial, now)
            try s.step()
            s.reset()
        }
    }

    func addStorefronts(platformID: String, _ deltas: [(uscc: String, delta: Int)]) throws -> [String: Int] {
        try add(deltas, """
            INSERT INTO enterprise_platforms (uscc, platform_id, merchants) VALUES (?1, ?3, ?2)
            ON CONFLICT (uscc, platform_id) DO UPDATE SET merchants = enterprise_platforms.merchants + ?2
            RETURNING merchants
            """, platformID: platformID)
    }

    func addEnterprises(_ deltas: [EnterpriseDelta]) throws -> [String: (platforms: Int, trading: Int)] {
        let s = try database.prepare("""
            INSERT INTO enterprises (uscc, platforms, trading) VALUES (?1, ?2, ?3)
            ON CONFLICT (uscc) DO UPDATE SET platforms = enterprises.platforms + ?2, trading = enterprises.trading + ?3
            RETURNING platforms, trading
            """)
        var after: [String: (platforms: Int, trading: Int)] = [:]
        for d in deltas {
            try s.bind(all: d.uscc, d.platforms, d.trading)
            _ = try s.step()
            after[d.uscc] = (s.int(0), s.int(1))
            s.reset()
        }
        return after
    }

    func keepLeadQueue(platformID: String, caseKeys: [String], usccs: [String], pruning: Bool) throws {
        for key in caseKeys { try LeadQueueRows.keep(database, LeadQueueRows.oneCase, pruning: pruning, platformID, key) }
        for uscc in usccs { try LeadQueueRows.keep(database, LeadQueueRows.enterpriseCases, pruning: pruning, uscc) }
    }

    func addSearchTerms(_ terms: [SearchTerm]) throws {
        let s = try database.prepare("""
            INSERT INTO enterprise_search_terms (term, uscc, field) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING
            """)
        for t in terms {
            try s.bind(all: t.term, t.uscc, t.field)
            try s.step()
            s.reset()
        }
    }

    func markRosterDirty(_ usccs: [String]) throws {
        let s = try database.prepare("INSERT INTO roster_dirty (uscc) VALUES (?1) ON CONFLICT DO NOTHING")
        for uscc in usccs {
            try s.bind(1, uscc)
            try s.step()
            s.reset()
        }
    }

    func storedData(platformID: String, keys: [RecordKey]) throws -> [RecordKey: (uscc: String?, data: String)] {
        let find = try database.prepare("SELECT uscc, data FROM records WHERE platform_id = ?1 AND type = ?2 AND key = ?3")
        var out: [RecordKey: (uscc: String?, data: String)] = [:]
        for k in keys {
            try find.bind(all: platformID, k.type, k.key)
            if try find.step() { out[k] = (uscc: find.string(0), data: find.string(1) ?? "") }
            find.reset()
        }
        return out
    }

    func addOutcomeCounts(_ changes: [(key: OutcomeCountKey, delta: Int)]) throws {
        let s = try database.prepare("""
            INSERT INTO outcome_counts (day, division, figure, records) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (day, division, figure) DO UPDATE SET records = outcome_counts.records + ?4
            """)
        for (key, delta) in changes {
            try s.bind(all: key.day, key.division, key.figure.rawValue, delta)
            try s.step()
            s.reset()
        }
    }

    func addDivisionStorefronts(platformID: String, _ deltas: [(division: String, delta: Int)]) throws {
        let s = try database.prepare("""
            INSERT INTO division_storefronts (division, platform_id, merchants) VALUES (?1, ?2, ?3)
            ON CONFLICT (division, platform_id) DO UPDATE SET merchants = division_storefronts.merchants + ?3
            """)
        for (division, delta) in deltas {
            try s.bind(all: division, platformID, delta)
            try s.step()
            s.reset()
        }
    }

    func addClosedStorefronts(_ deltas: [(division: String, delta: Int)]) throws {
        let s = try database.prepare("""
            INSERT INTO closed_storefronts (division, storefronts) VALUES (?1, ?2)
            ON CONFLICT (division) DO UPDATE SET storefronts = closed_storefronts.storefronts + ?2
            """)
        for (division, delta) in deltas {
            try s.bind(all: division, delta)
            try s.step()
            s.reset()
        }
    }

    func addDivisionEnterprises(_ deltas: [(division: String, enterprises: Int, trading: Int)]) throws {
        let s = try database.prepare("""
            INSERT INTO division_enterprises (division, enterprises, trading) VALUES (?1, ?2, ?3)
            ON CONFLICT (division) DO UPDATE SET enterprises = division_enterprises.enterprises + ?2,
                                                 trading = division_enterprises.trading + ?3
            """)
        for (division, enterprises, trading) in deltas {
            try s.bind(all: division, enterprises, trading)
            try s.step()
            s.reset()
        }
    }

    private func add(_ deltas: [(uscc: String, delta: Int)], _ sql: String, platformID: String) throws -> [String: Int] {
        let s = try database.prepare(sql)
        var after: [String: Int] = [:]
        for (uscc, delta) in deltas {
            try s.bind(all: uscc, delta, platformID)
            _ = try s.step()
            after[uscc] = s.int(0)
            s.reset()
        }
        return after
    }

    private func write(_ s: some SQLStatement, _ item: FeedItem, now: Int64) throws {
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
        try s.step()
        s.reset()
    }
}
