import SandboxCore
import SandboxStorage

// Where each enterprise on the kept roster belongs (`roster_places`, schema step 22): its
// registration division (USCC characters 3–8) and the regions of its storefronts on every
// platform — the places a district's jurisdiction admits it by (Jurisdiction.admits) — so the
// console's roster reads one district as one range of an index.
extension StoreSession {
    /// Keeps the places of `uscc` with its decision (in the caller's transaction); none when it
    /// left the roster. Writes only what changed: most decisions leave the places as they were.
    func keepRosterPlaces(uscc: String, onRoster: Bool) throws {
        var wanted = Set<String>()
        if onRoster {
            wanted = try storefrontRegions(uscc: uscc)
            if let division = USCC.divisionCode(uscc) { wanted.insert(division) }
        }
        let read = try database.prepare("SELECT region FROM roster_places WHERE uscc = ?1")
        try read.bind(1, uscc)
        var kept = Set<String>()
        while try read.step() { if let r = read.string(0) { kept.insert(r) } }
        read.reset()
        func each(_ regions: Set<String>, _ sql: String) throws {
            guard !regions.isEmpty else { return }
            let s = try database.prepare(sql)
            defer { s.reset() }
            for region in regions.sorted() {
                try s.bind(all: uscc, region)
                try s.step()
                s.reset()
            }
        }
        try each(kept.subtracting(wanted), "DELETE FROM roster_places WHERE uscc = ?1 AND region = ?2")
        try each(wanted.subtracting(kept), "INSERT INTO roster_places (region, uscc) VALUES (?2, ?1) ON CONFLICT DO NOTHING")
    }
}
