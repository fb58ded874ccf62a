import SandboxCore
import SandboxStorage

extension StoreSession {
    /// The draw's population (docs/policy.md §8 step 1) from what is stored: every USCC with at
    /// least one storefront not `closed`, whose registration is not revoked (吊销) or cancelled
    /// (注销), with its union-roster membership and its classes across platforms. `now` decides
    /// whether a regulator removal is still in force.
    ///
    /// The status comes from the regulator's registry; when it does not know the USCC, from the
    /// platforms' copies (any of them saying revoked or cancelled excludes it).
    public func drawPopulation(now: Int64) throws -> [InspectionSubject] {
        var open: [String: String] = [:]   // uscc → a name from a storefront
        let s = try database.prepare("SELECT uscc, data FROM records WHERE type = 'merchant' AND uscc IS NOT NULL ORDER BY uscc, platform_id, key")
        defer { s.reset() }
        while try s.step() {
            let uscc = s.string(0) ?? ""
            let data = JSONValue.parse(Array((s.string(1) ?? "null").utf8)) ?? .null
            let status = data["status"]?.stringValue ?? ""
            guard status != "closed" && status != "关闭", open[uscc] == nil else { continue }
            open[uscc] = data["registered_name"]?.stringValue ?? data["shop_name"]?.stringValue ?? uscc
        }
        var endedCopies = Set<String>()
        let copies = try database.prepare("SELECT uscc, data FROM records WHERE type = 'registry' AND uscc IS NOT NULL")
        defer { copies.reset() }
        while try copies.step() {
            let data = JSONValue.parse(Array((copies.string(1) ?? "null").utf8)) ?? .null
            if Self.endsTrading(data["registration_status"]?.stringValue) { endedCopies.insert(copies.string(0) ?? "") }
        }
        var roster: [String: RosterEntry] = [:]
        for entry in try self.roster(now: now) { roster[entry.uscc] = entry }

        var out: [InspectionSubject] = []
        for (uscc, storefrontName) in open.sorted(by: { $0.key < $1.key }) {
            var name = storefrontName
            if let entry = try registryEntry(uscc: uscc) {
                if Self.endsTrading(entry["registration_status"]?.stringValue) { continue }
                name = entry["name"]?.stringValue ?? name
            } else if endedCopies.contains(uscc) {
                continue
            }
            let r = roster[uscc]
            out.append(InspectionSubject(uscc: uscc, name: name, member: r?.member ?? false,
                                         classes: r?.platforms.compactMap(\.creditClass) ?? []))
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
                                   region, drawn_count)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """)
            defer { s.reset() }
            try s.bind(1, draw.seed)
            try s.bind(2, draw.asOf)
            try s.bind(3, draw.packVersion)
            try s.bind(4, draw.packSerial)
            try s.bind(5, draw.populationDigest)
            try s.bind(6, draw.population)
            try s.bind(7, draw.resultJSON)
            try s.bind(8, now)
            try s.bind(9, draw.createdBy)
            try s.bind(10, draw.region)
            try s.bind(11, Int64(draw.drawnCount))
            try s.step()
            return s.int64(0)
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
}
