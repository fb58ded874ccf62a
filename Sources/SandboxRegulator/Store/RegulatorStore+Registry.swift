import SandboxCore
import SandboxStorage
import SandboxWire

extension StoreSession {
    /// Files registry entries; an entry whose content changed (or is new) takes the next cursor,
    /// so `registry/changes?after=` hands every change out once, in order; a changed entry's
    /// search terms (SearchTerm) are added with it.
    public func importRegistry(_ records: [RegistryRecord], now: Int64) throws -> (changed: Int, unchanged: Int) {
        try database.transaction {
            try dialect.serializeCursors(database)
            var changed = 0
            var terms: Set<SearchTerm> = []
            let upsert = try database.prepare("""
                INSERT INTO registry (uscc, cursor, content, imported_at)
                VALUES (?1, (SELECT COALESCE(MAX(cursor), 0) + 1 FROM registry), ?2, ?3)
                ON CONFLICT (uscc) DO UPDATE SET cursor = excluded.cursor, content = excluded.content,
                    imported_at = excluded.imported_at
                WHERE registry.content != excluded.content
                """)
            for record in records {
                try upsert.bind(1, record.uscc)
                try upsert.bind(2, RegistryEntryJSON.object(record).jsonText)
                try upsert.bind(3, now)
                try upsert.step()
                upsert.reset()
                if database.changes > 0 {
                    changed += 1
                    terms.formUnion(SearchTerm.registry(record))
                }
            }
            try recordWriter.addSearchTerms(terms.sorted())
            try markRosterDirty(Array(Set(terms.map(\.uscc))))
            return (changed, records.count - changed)
        }
    }

    /// Entries changed after `cursor`, in cursor order.
    func registryChanges(after cursor: Int64, limit: Int) throws -> [JSONValue] {
        let s = try database.prepare("SELECT cursor, content FROM registry WHERE cursor > ? ORDER BY cursor LIMIT ?")
        defer { s.reset() }
        try s.bind(1, cursor)
        try s.bind(2, limit)
        var result: [JSONValue] = []
        while try s.step() {
            let content = JSONValue.parse(Array((s.string(1) ?? "null").utf8)) ?? .null
            result.append(RegistryEntryJSON.withCursor(content, cursor: s.int64(0)))
        }
        return result
    }

    /// The registry entries of these enterprises, a few hundred per read (the whole city's
    /// roster asks for every enterprise on it; one read each was a round trip each on PostgreSQL).
    func registryEntries(_ usccs: [String]) throws -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        guard !usccs.isEmpty else { return out }
        let s = try database.prepare("SELECT uscc, cursor, content FROM registry WHERE \(condition("uscc", .some([]), 1))")
        defer { s.reset() }
        for start in stride(from: 0, to: usccs.count, by: 500) {
            try s.bind(1, USCCSelection.some(Array(usccs[start..<min(start + 500, usccs.count)])).parameter)
            while try s.step() {
                out[s.string(0) ?? ""] = RegistryEntryJSON.withCursor(JSONValue.parse(Array((s.string(2) ?? "null").utf8)) ?? .null,
                                                                      cursor: s.int64(1))
            }
            s.reset()
        }
        return out
    }

    func registryEntry(uscc: String) throws -> JSONValue? {
        let s = try database.prepare("SELECT cursor, content FROM registry WHERE uscc = ?")
        defer { s.reset() }
        try s.bind(1, uscc)
        guard try s.step() else { return nil }
        return RegistryEntryJSON.withCursor(JSONValue.parse(Array((s.string(1) ?? "null").utf8)) ?? .null, cursor: s.int64(0))
    }
}
