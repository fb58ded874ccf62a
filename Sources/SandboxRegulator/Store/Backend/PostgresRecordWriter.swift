import NIOCore
import PostgresNIO

/// The intake's record sets in one statement each, the rows passed as arrays (`unnest`): a
/// 5,000-item batch is four round trips, not ten thousand. Arrays carry no NULL here, so an
/// absent USCC, pack version or version travels as a value no record has ('' or Int64.min) and
/// NULLIF turns it back.
struct PostgresRecordWriter: RecordWriter {
    let session: PostgresSession
    private static let noNumber = Int64.min

    /// The record of the platform ($1) under `keys`' type and key, probed by its key index one key
    /// at a time. A plain join let the planner hash the keys against every record of the platform
    /// when its statistics were older than the platform's records: during a load a platform's rows
    /// arrive faster than autovacuum analyses a table of millions, so the plan read a whole
    /// platform (up to 340,000 records) to find a batch's 5,000 keys — 1–1.7 s a batch, a third
    /// of the server's time at 20,000,000 merchants (docs/benchmarks.md). `LIMIT 1` (a key is
    /// unique) keeps the subquery from being flattened back into that join.
    private static func recordOf(_ keys: String, columns: String) -> String {
        "SELECT \(columns) FROM records r WHERE r.platform_id = $1 AND r.type = \(keys).type AND r.key = \(keys).key LIMIT 1"
    }

    func prior(platformID: String, keys: [RecordKey]) throws -> [RecordKey: PriorRecord] {
        var binds = PostgresBindings(capacity: 3)
        binds.append(platformID)
        binds.append(keys.map(\.type))
        binds.append(keys.map(\.key))
        let result = try session.run(PostgresQuery(unsafeSQL: """
            SELECT r.type, r.key, r.uscc, r.content_hash, r.version, r.closed
            FROM unnest($2::text[], $3::text[]) AS k(type, key)
            CROSS JOIN LATERAL (\(Self.recordOf("k", columns: "r.type, r.key, r.uscc, r.content_hash, r.version, "
                                                             + StorefrontStatus.closedPredicate("r.") + " AS closed"))) r
            """, binds: binds))
        var out: [RecordKey: PriorRecord] = [:]
        for row in result.rows {
            let (type, key, uscc, hash, version, closed) = try row.decode((String, String, String?, String, Int64?, Int64).self)
            out[RecordKey(type: type, key: key)] = PriorRecord(uscc: uscc, contentHash: hash, version: version ?? 0, closed: closed == 1)
        }
        return out
    }

    /// New records by COPY (the intake's largest statement: measured against the INSERT over
    /// arrays it replaced in docs/benchmarks.md). Every key is new to the table — `prior` found
    /// none — so there is nothing to merge, only rows to add.
    func insert(_ items: [FeedItem], now: Int64) throws {
        guard !items.isEmpty else { return }
        var text = PostgresCopyText()
        for item in items {
            text.add(item.platformID)
            text.add(item.kind.rawValue)
            text.add(item.key)
            text.add(item.uscc)
            text.add(item.contentHash)
            text.add(item.dataJSON)
            text.add(now)
            text.add(item.packVersion)
            text.add(item.packSerial)
            text.add(item.version)
            text.endRow()
        }
        try session.copy(into: "records", columns: ["platform_id", "type", "key", "uscc", "content_hash", "data", "updated_at",
                                                    "pack_version", "pack_serial", "version"], rows: text)
    }

    func replace(_ items: [FeedItem], now: Int64) throws {
        guard !items.isEmpty else { return }
        _ = try session.run(PostgresQuery(unsafeSQL: """
            UPDATE records r SET uscc = NULLIF(u.uscc, ''), content_hash = u.content_hash, data = u.data, updated_at = $2,
                pack_version = NULLIF(u.pack_version, ''), pack_serial = NULLIF(u.pack_serial, \(Self.noNumber)),
                version = NULLIF(u.version, \(Self.noNumber))
            FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[], $10::bigint[])
                AS u(type, key, uscc, content_hash, data, pack_version, pack_serial, version)
            WHERE r.platform_id = $1 AND r.type = u.type AND r.key = u.key
            """, binds: rows(items, now: now)))
    }

    func moveVersion(platformID: String, _ versions: [(RecordKey, Int64)]) throws {
        guard !versions.isEmpty else { return }
        var binds = PostgresBindings(capacity: 4)
        binds.append(platformID)
        binds.append(versions.map(\.0.type))
        binds.append(versions.map(\.0.key))
        binds.append(versions.map(\.1))
        _ = try session.run(PostgresQuery(unsafeSQL: """
            UPDATE records r SET version = u.version
            FROM unnest($2::text[], $3::text[], $4::bigint[]) AS u(type, key, version)
            WHERE r.platform_id = $1 AND r.type = u.type AND r.key = u.key
            """, binds: binds))
    }

    /// One COPY per history table for the batch (a row by row here was a round trip per roster
    /// or case item, the intake's largest cost on PostgreSQL; then one `INSERT … SELECT unnest`
    /// per table, which cost more per row than the records' COPY with three times its indexes:
    /// docs/benchmarks.md): the items' columns as for `records`, then those copied out of `data`.
    /// COPY inserts its rows in the order sent, so the ids (BIGSERIAL) follow the batch.
    func appendHistory(_ items: [FeedItem], now: Int64) throws {
        let common = ["platform_id", "key", "uscc", "content_hash", "data", "pack_version", "pack_serial", "received_at"]
        for (kind, table, extra) in [(FeedItem.Kind.roster, "roster_history", ["member", "decision", "source"]),
                                     (.case, "case_history", ["rule_id", "state"])] {
            let versions = items.filter { $0.kind == kind }
            guard !versions.isEmpty else { continue }
            var text = PostgresCopyText()
            for item in versions {
                text.add(item.platformID)
                text.add(item.key)
                text.add(item.uscc)
                text.add(item.contentHash)
                text.add(item.dataJSON)
                text.add(item.packVersion)
                text.add(item.packSerial)
                text.add(now)
                let columns = HistoryColumns(item)
                if kind == .roster {
                    text.add(columns.member.map(Int64.init))
                    text.add(columns.decision)
                    text.add(columns.source)
                } else {
                    text.add(columns.ruleID)
                    text.add(columns.state)
                }
                text.endRow()
            }
            try session.copy(into: table, columns: common + extra, rows: text)
        }
    }

    func addStorefronts(platformID: String, _ deltas: [(uscc: String, delta: Int)]) throws -> [String: Int] {
        try add(deltas, """
            INSERT INTO enterprise_platforms (uscc, platform_id, merchants)
            SELECT u.uscc, $3, u.delta FROM unnest($1::text[], $2::bigint[]) AS u(uscc, delta) ORDER BY u.uscc
            ON CONFLICT (uscc, platform_id) DO UPDATE SET merchants = enterprise_platforms.merchants + excluded.merchants
            RETURNING uscc, merchants
            """, platformID: platformID)
    }

    func addEnterprises(_ deltas: [EnterpriseDelta]) throws -> [String: (platforms: Int, trading: Int)] {
        guard !deltas.isEmpty else { return [:] }
        var binds = PostgresBindings(capacity: 3)
        binds.append(deltas.map(\.uscc))
        binds.append(deltas.map { Int64($0.platforms) })
        binds.append(deltas.map { Int64($0.trading) })
        var after: [String: (platforms: Int, trading: Int)] = [:]
        for row in try session.run(PostgresQuery(unsafeSQL: """
            INSERT INTO enterprises (uscc, platforms, trading)
            SELECT u.uscc, u.platforms, u.trading FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS u(uscc, platforms, trading)
            ORDER BY u.uscc
            ON CONFLICT (uscc) DO UPDATE SET platforms = enterprises.platforms + excluded.platforms,
                                             trading = enterprises.trading + excluded.trading
            RETURNING uscc, platforms, trading
            """, binds: binds)).rows {
            let (uscc, platforms, trading) = try row.decode((String, Int64, Int64).self)
            after[uscc] = (Int(platforms), Int(trading))
        }
        return after
    }

    /// Two statements for the batch: the rows of its cases and of its enterprises' cases added or
    /// brought up to date, then (`pruning`) those of places that no longer hold them taken out.
    func keepLeadQueue(platformID: String, caseKeys: [String], usccs: [String], pruning: Bool) throws {
        guard !caseKeys.isEmpty || !usccs.isEmpty else { return }
        let source = """
            (SELECT $1 AS platform_id, u.key FROM unnest($2::text[]) AS u(key)
             UNION SELECT platform_id, key FROM records WHERE uscc = ANY($3::text[]) AND type = 'case') t
            """
        for sql in [LeadQueueRows.upsert(cases: source)] + (pruning ? [LeadQueueRows.deleteStale(cases: source)] : []) {
            var binds = PostgresBindings(capacity: 3)
            binds.append(platformID)
            binds.append(caseKeys)
            binds.append(usccs)
            _ = try session.run(PostgresQuery(unsafeSQL: sql, binds: binds))
        }
    }

    func addSearchTerms(_ terms: [SearchTerm]) throws {
        guard !terms.isEmpty else { return }
        var binds = PostgresBindings(capacity: 3)
        binds.append(terms.map(\.term))
        binds.append(terms.map(\.uscc))
        binds.append(terms.map(\.field))
        _ = try session.run(PostgresQuery(unsafeSQL: """
            INSERT INTO enterprise_search_terms (term, uscc, field)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING
            """, binds: binds))
    }

    func markRosterDirty(_ usccs: [String]) throws {
        guard !usccs.isEmpty else { return }
        var binds = PostgresBindings(capacity: 1)
        binds.append(usccs)
        _ = try session.run(PostgresQuery(unsafeSQL: """
            INSERT INTO roster_dirty (uscc) SELECT * FROM unnest($1::text[]) ON CONFLICT DO NOTHING
            """, binds: binds))
    }

    func storedData(platformID: String, keys: [RecordKey]) throws -> [RecordKey: (uscc: String?, data: String)] {
        guard !keys.isEmpty else { return [:] }
        var binds = PostgresBindings(capacity: 3)
        binds.append(platformID)
        binds.append(keys.map(\.type))
        binds.append(keys.map(\.key))
        let result = try session.run(PostgresQuery(unsafeSQL: """
            SELECT r.type, r.key, r.uscc, r.data
            FROM unnest($2::text[], $3::text[]) AS k(type, key)
            CROSS JOIN LATERAL (\(Self.recordOf("k", columns: "r.type, r.key, r.uscc, r.data"))) r
            """, binds: binds))
        var out: [RecordKey: (uscc: String?, data: String)] = [:]
        for row in result.rows {
            let (type, key, uscc, data) = try row.decode((String, String, String?, String).self)
            out[RecordKey(type: type, key: key)] = (uscc: uscc, data: data)
        }
        return out
    }

    /// One statement; rows locked in the order given (key order), so two nodes' batches counting
    /// the same days wait for each other instead of deadlocking.
    func addOutcomeCounts(_ changes: [(key: OutcomeCountKey, delta: Int)]) throws {
        guard !changes.isEmpty else { return }
        var binds = PostgresBindings(capacity: 4)
        binds.append(changes.map { $0.key.day })
        binds.append(changes.map { $0.key.division })
        binds.append(changes.map { $0.key.figure.rawValue })
        binds.append(changes.map { Int64($0.delta) })
        _ = try session.run(PostgresQuery(unsafeSQL: """
            INSERT INTO outcome_counts (day, division, figure, records)
            SELECT u.day, u.division, u.figure, u.records
            FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) WITH ORDINALITY AS u(day, division, figure, records, n)
            ORDER BY u.n
            ON CONFLICT (day, division, figure) DO UPDATE SET records = outcome_counts.records + excluded.records
            """, binds: binds))
    }

    /// One statement each, rows locked in division order, as the enterprise view's rows are.
    func addDivisionStorefronts(platformID: String, _ deltas: [(division: String, delta: Int)]) throws {
        guard !deltas.isEmpty else { return }
        var binds = PostgresBindings(capacity: 3)
        binds.append(deltas.map { $0.division })
        binds.append(deltas.map { Int64($0.delta) })
        binds.append(platformID)
        _ = try session.run(PostgresQuery(unsafeSQL: """
            INSERT INTO division_storefronts (division, platform_id, merchants)
            SELECT u.division, $3, u.delta FROM unnest($1::text[], $2::bigint[]) AS u(division, delta) ORDER BY u.division
            ON CONFLICT (division, platform_id) DO UPDATE SET merchants = division_storefronts.merchants + excluded.merchants
            """, binds: binds))
    }

    func addClosedStorefronts(_ deltas: [(division: String, delta: Int)]) throws {
        guard !deltas.isEmpty else { return }
        var binds = PostgresBindings(capacity: 2)
        binds.append(deltas.map { $0.division })
        binds.append(deltas.map { Int64($0.delta) })
        _ = try session.run(PostgresQuery(unsafeSQL: """
            INSERT INTO closed_storefronts (division, storefronts)
            SELECT u.division, u.delta FROM unnest($1::text[], $2::bigint[]) AS u(division, delta) ORDER BY u.division
            ON CONFLICT (division) DO UPDATE SET storefronts = closed_storefronts.storefronts + excluded.storefronts
            """, binds: binds))
    }

    func addDivisionEnterprises(_ deltas: [(division: String, enterprises: Int, trading: Int)]) throws {
        guard !deltas.isEmpty else { return }
        var binds = PostgresBindings(capacity: 3)
        binds.append(deltas.map { $0.division })
        binds.append(deltas.map { Int64($0.enterprises) })
        binds.append(deltas.map { Int64($0.trading) })
        _ = try session.run(PostgresQuery(unsafeSQL: """
            INSERT INTO division_enterprises (division, enterprises, trading)
            SELECT u.division, u.enterprises, u.trading FROM unnest($1::text[], $2::bigint[], $3::bigint[])
                AS u(division, enterprises, trading) ORDER BY u.division
            ON CONFLICT (division) DO UPDATE SET enterprises = division_enterprises.enterprises + excluded.enterprises,
                                                 trading = division_enterprises.trading + excluded.trading
            """, binds: binds))
    }

    /// One statement for all the deltas, rows locked in USCC order (`ORDER BY`), so two nodes'
    /// batches over the same enterprises wait for each other instead of deadlocking.
    private func add(_ deltas: [(uscc: String, delta: Int)], _ sql: String, platformID: String) throws -> [String: Int] {
        guard !deltas.isEmpty else { return [:] }
        var binds = PostgresBindings(capacity: 3)
        binds.append(deltas.map(\.uscc))
        binds.append(deltas.map { Int64($0.delta) })
        binds.append(platformID)
        var after: [String: Int] = [:]
        for row in try session.run(PostgresQuery(unsafeSQL: sql, binds: binds)).rows {
            let (uscc, count) = try row.decode((String, Int64).self)
            after[uscc] = Int(count)
        }
        return after
    }

    private func rows(_ items: [FeedItem], now: Int64) -> PostgresBindings {
        var binds = PostgresBindings(capacity: 10)
        binds.append(items[0].platformID)
        binds.append(now)
        binds.append(items.map(\.kind.rawValue))
        binds.append(items.map(\.key))
        binds.append(items.map { $0.uscc ?? "" })
        binds.append(items.map(\.contentHash))
        binds.append(items.map(\.dataJSON))
        binds.append(items.map { $0.packVersion ?? "" })
        binds.append(items.map { $0.packSerial ?? Self.noNumber })
        binds.append(items.map { $0.version ?? Self.noNumber })
        return binds
    }
}
