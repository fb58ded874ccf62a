import SandboxCore
import SandboxPolicy
import SandboxStorage

extension StoreSession {
    /// The draw's population (docs/policy.md §8 step 1) from what is stored: every USCC with at
    /// least one storefront not `closed`, whose registration is not revoked (吊销) or cancelled
    /// (注销), with its union-roster membership and its classes across platforms, in no particular
    /// order. `now` decides whether a regulator removal is still in force.
    ///
    /// The status comes from the regulator's registry; when it does not know the USCC, from the
    /// platforms' copies (any of them saying revoked or cancelled excludes it).
    ///
    /// Read in sets, never decided for the whole city on the read (a city draw at 469,000
    /// merchants read every merchant's JSON and decided every enterprise's roster: 45 s): the
    /// storefronts one platform's range of the records at a time, their status and names picked
    /// by the engine, the registry and the kept roster decision joined. A kept decision stands
    /// when it is current at `now` (RosterKeeper's contract: it changes only when its enterprise
    /// is marked, or at its `recheck_at`) and was taken before `now`; the others — marked, due,
    /// never decided, or decided after a past as-of day — are decided here, one by one.
    ///
    /// `region` (a 6-digit division) keeps the enterprises registered there, as
    /// `InspectionSubject.region` reads the code, in the query: a district's draw reads its own
    /// storefronts, not the city's.
    public func drawPopulation(now: Int64, region: String? = nil) throws -> [InspectionSubject] {
        // `member`: the kept decision when it is current — taken before `now`, not marked since,
        // not due — read with the storefront (listing every marked enterprise to look them up
        // held a set of 18.3 million after the national load).
        struct Seen { var name: String; var registry: (status: String?, name: String?)?; var member: Bool?; var worst: String? }
        var open: [String: Seen] = [:]
        let platforms = try database.prepare("SELECT platform_id FROM platform_counters ORDER BY platform_id")
        var platformIDs: [String] = []
        while try platforms.step() { if let p = platforms.string(0) { platformIDs.append(p) } }
        platforms.reset()
        let s = try database.prepare("""
            SELECT m.uscc, json_extract(m.data, '$.status'),
                   coalesce(json_extract(m.data, '$.registered_name'), json_extract(m.data, '$.shop_name')),
                   g.uscc, json_extract(g.content, '$.registration_status'), json_extract(g.content, '$.name'),
                   r.member, r.worst_class, r.decided_at,
                   CASE WHEN r.recheck_at <= ?3 OR EXISTS (SELECT 1 FROM roster_dirty d WHERE d.uscc = m.uscc) THEN 1 ELSE 0 END
            FROM records m LEFT JOIN registry g ON g.uscc = m.uscc LEFT JOIN regulator_roster r ON r.uscc = m.uscc
            WHERE m.platform_id = ?1 AND m.type = 'merchant' AND m.uscc IS NOT NULL
              AND (?2 IS NULL OR CASE WHEN length(m.uscc) = 18 THEN substr(m.uscc, 3, 6) ELSE substr(m.uscc, 1, 6) END = ?2)
            ORDER BY m.key
            """)
        defer { s.reset() }
        for platform in platformIDs {
            try s.bind(all: platform, region, now)
            while try s.step() {
                let uscc = s.string(0) ?? ""
                let status = s.string(1) ?? ""
                // The first open storefront in (platform, key) order names it, as before.
                guard status != "closed" && status != "关闭", open[uscc] == nil else { continue }
                let kept = (s.int64OrNil(8).map { $0 <= now } ?? false) && s.int(9) == 0
                open[uscc] = Seen(name: s.string(2) ?? uscc, registry: s.string(3) == nil ? nil : (s.string(4), s.string(5)),
                                  member: kept ? s.int(6) != 0 : nil, worst: s.string(7))
            }
            s.reset()
        }
        var endedCopies = Set<String>()
        let copies = try database.prepare("""
            SELECT uscc, json_extract(data, '$.registration_status') FROM records
            WHERE platform_id = ?1 AND type = 'registry' AND uscc IS NOT NULL
            """)
        defer { copies.reset() }
        for platform in platformIDs {
            try copies.bind(1, platform)
            while try copies.step() {
                if Self.endsTrading(copies.string(1)) { endedCopies.insert(copies.string(0) ?? "") }
            }
            copies.reset()
        }
        var out: [InspectionSubject] = []
        out.reserveCapacity(open.count)
        // In no particular order: the draw ranks by hash and sorts the lines itself (sorting
        // 300,000 entries here took a tenth of a city draw).
        for (uscc, seen) in open {
            var name = seen.name
            if let entry = seen.registry {
                if Self.endsTrading(entry.status) { continue }
                name = entry.name ?? name
            } else if endedCopies.contains(uscc) {
                continue
            }
            if let member = seen.member {
                out.append(InspectionSubject(uscc: uscc, name: name, member: member, classes: seen.worst.map { [$0] } ?? []))
            } else {
                let r = try roster(uscc: uscc, now: now).first
                out.append(InspectionSubject(uscc: uscc, name: name, member: r?.member ?? false,
                                             classes: r?.platforms.compactMap(\.creditClass) ?? []))
            }
        }
        return out
    }

    static func endsTrading(_ status: String?) -> Bool {
        ["revoked", "cancelled", "吊销", "注销"].contains(status ?? "")
    }

    /// Stores a draw; its id.
    public func storeDraw(_ draw: StoredDraw, now: Int64) throws -> Int64 {
        try database.transaction {
            let s = try database.prepare("""
                INSERT INTO draws (seed, as_of, pack_version, pack_serial, population_digest, population, result, created_at, created_by,
                                   region, drawn_count, strata, population_count)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """)
            // The population and result are bound as copies (megabytes for a city): not kept.
            defer { s.reset(); s.clearBindings() }
            try s.bind(all: draw.seed, draw.asOf, draw.packVersion, draw.packSerial, draw.populationDigest, draw.population,
                       draw.resultJSON, now, draw.createdBy, draw.region, draw.drawnCount, draw.strata, draw.populationCount)
            try s.step()
            let id = s.int64(0)
            s.reset()
            try storeDrawSubjects(draw, id: id)
            return id
        }
    }

    /// A stored draw's population lines and result JSON, for audits and tests.
    public func storedDraw(id: Int64) throws -> (population: String, result: String)? {
        let s = try database.prepare("SELECT population, result FROM draws WHERE id = ?")
        defer { s.reset() }
        try s.bind(1, id)
        guard try s.step() else { return nil }
        return (s.string(0) ?? "", s.string(1) ?? "")
    }
}

/// One row of the `draws` table.
public struct StoredDraw: Sendable {
    public var seed: String
    public var asOf: String
    public var packVersion: String
    public var packSerial: Int
    public var populationDigest: String
    /// The sorted `uscc,stratum` lines the digest is over.
    public var population: String
    public var resultJSON: String
    public var createdBy: String
    /// The division the population was limited to; nil = the city.
    public var region: String? = nil
    public var drawnCount = 0
    /// The drawn subjects as rows (`draw_subjects`), the strata JSON and the population's size.
    public var subjects: [DrawSubject] = []
    public var strata = "[]"
    public var populationCount = 0
}
