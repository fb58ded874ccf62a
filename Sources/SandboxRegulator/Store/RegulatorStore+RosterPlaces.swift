import SandboxCore
import SandboxStorage
import SandboxWire

// Where each enterprise on the kept roster belongs (`roster_places`, schema step 22): its
// registration division (USCC characters 3–8) and the regions of its storefronts on every
// platform — the places a district's jurisdiction admits it by (Jurisdiction.admits) — so the
// console's roster reads one district as one range of an index.
extension StoreSession {
    /// Keeps the places of `usccs` with their decisions (in the caller's transaction); none for
    /// those that are not `onRoster`. Reads the set's storefront regions and kept places once
    /// and writes only what changed: most decisions leave the places as they were.
    func keepRosterPlaces(_ usccs: [String], onRoster: Set<String>) throws {
        guard !usccs.isEmpty else { return }
        var wanted: [String: Set<String>] = [:]
        let members = usccs.filter(onRoster.contains)
        if !members.isEmpty {
            let regions = try database.prepare("""
                SELECT DISTINCT uscc, json_extract(data, '$.region_code') FROM records
                WHERE \(condition("uscc", .some(members), 1)) AND type = 'merchant'
                """)
            try regions.bind(1, USCCSelection.some(members).parameter)
            while try regions.step() {
                if let u = regions.string(0), let region = regions.string(1) { wanted[u, default: []].insert(region) }
            }
            regions.reset()
            for u in members { if let division = USCC.divisionCode(u) { wanted[u, default: []].insert(division) } }
        }
        let read = try database.prepare("SELECT uscc, region FROM roster_places WHERE \(condition("uscc", .some(usccs), 1))")
        try read.bind(1, USCCSelection.some(usccs).parameter)
        var kept: [String: Set<String>] = [:]
        while try read.step() { if let u = read.string(0), let r = read.string(1) { kept[u, default: []].insert(r) } }
        read.reset()
        var stale: [JSONValue] = [], new: [JSONValue] = []
        for u in usccs {
            let place = { (region: String) in JSONValue.object(["uscc": .string(u), "region": .string(region)]) }
            stale += (kept[u] ?? []).subtracting(wanted[u] ?? []).sorted().map(place)
            new += (wanted[u] ?? []).subtracting(kept[u] ?? []).sorted().map(place)
        }
        func each(_ rows: [JSONValue], _ sql: String) throws {
            guard !rows.isEmpty else { return }
            let s = try database.prepare(sql)
            defer { s.reset() }
            try s.bind(1, JSONValue.array(rows).jsonText)
            try s.step()
        }
        let place = "json_extract(e.value, '$.uscc'), json_extract(e.value, '$.region')"
        try each(stale, "DELETE FROM roster_places WHERE (uscc, region) IN (SELECT \(place) FROM \(dialect.jsonObjects(1)) AS e)")
        try each(new, """
            INSERT INTO roster_places (uscc, region) SELECT \(place) FROM \(dialect.jsonObjects(1)) AS e WHERE TRUE
            ON CONFLICT DO NOTHING
            """)
    }
}
