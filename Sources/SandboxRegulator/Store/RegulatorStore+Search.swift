import Foundation
import SandboxCore
import SandboxStorage

extension StoreSession {
    /// How many matching terms one search reads at most before it stops looking for enterprises
    /// in the caller's jurisdiction: bounds a district officer's search for a very common prefix.
    static let searchScanLimit = 2_000

    /// Enterprises whose USCC, registered name, legal representative, shop name or platform
    /// merchant id equals or starts with `text` (as typed, and upper-cased for a code typed in
    /// lower case), exact matches first, at most `limit`, only those `jurisdiction` holds and,
    /// with `region` (a 6-digit division code), only those registered or with a storefront there.
    ///
    /// One range of the `enterprise_search_terms` primary key per spelling, so the cost follows
    /// the matches, not the city's size; then, outside the city's view, the jurisdiction facts of
    /// each candidate (two indexed reads) until `limit` are found or the scan limit is reached.
    public func searchEnterprises(_ text: String, region: String?, jurisdiction: Jurisdiction,
                                  limit: Int = 50) throws -> [EnterpriseSearchHit] {
        let typed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !typed.isEmpty, limit > 0 else { return [] }
        var spellings = [typed]
        if typed.uppercased() != typed { spellings.append(typed.uppercased()) }

        var order: [String] = []
        var matches: [String: [EnterpriseSearchHit.Match]] = [:]
        let s = try database.prepare("""
            SELECT term, uscc, field FROM enterprise_search_terms WHERE term >= ?1 AND term < ?2 ORDER BY term, uscc LIMIT ?3
            """)
        defer { s.reset() }
        for spelling in spellings {
            s.reset()
            try s.bind(1, spelling)
            // Every text that starts with `spelling` sorts below it followed by the last code
            // point (bytewise, as both engines compare this column).
            try s.bind(2, spelling + "\u{10FFFF}")
            try s.bind(3, Self.searchScanLimit)
            while try s.step() {
                guard let term = s.string(0), let uscc = s.string(1), let field = s.string(2) else { continue }
                if matches[uscc] == nil { order.append(uscc) }
                matches[uscc, default: []].append(.init(field: field, term: term))
            }
        }
        // Exact matches first, then in the order of their terms.
        let exact = Set(order.filter { u in matches[u]!.contains { spellings.contains($0.term) } })
        order = order.filter(exact.contains) + order.filter { !exact.contains($0) }

        var hits: [EnterpriseSearchHit] = []
        for uscc in order where hits.count < limit {
            if jurisdiction != .everything || region != nil {
                let facts = try jurisdictionFacts(uscc: uscc)
                guard jurisdiction.admits(facts), region.map({ Jurisdiction.district($0).admits(facts) }) ?? true else { continue }
            }
            let name = try registryEntry(uscc: uscc)?["name"]?.stringValue
            hits.append(EnterpriseSearchHit(uscc: uscc, name: name, matches: matches[uscc] ?? []))
        }
        return hits
    }
}
