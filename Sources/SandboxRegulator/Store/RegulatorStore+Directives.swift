import Foundation
import SandboxStorage

extension StoreSession {
    /// Stores a directive for one platform; its cursor is above every earlier one.
    public func createDirective(_ new: NewDirective, now: Int64) throws -> Directive {
        try database.transaction { try insertDirective(new, now: now) }
    }

    /// The insert of `createDirective`, inside the caller's transaction.
    func insertDirective(_ new: NewDirective, now: Int64) throws -> Directive {
        let id = "dir-" + UUID().uuidString.lowercased()
        // Cursors must become visible in their order, or a poller that read cursor 11 would never
        // see a 10 committed after it; SQLite writes one at a time, PostgreSQL takes a lock.
        try dialect.serializeCursors(database)
        let s = try database.prepare("""
            INSERT INTO directives (id, platform_id, type, platform_merchant_id, uscc, payload, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING cursor
            """)
        defer { s.reset() }
        try s.bind(1, id)
        try s.bind(2, new.platformID)
        try s.bind(3, new.type)
        try s.bind(4, new.platformMerchantID)
        try s.bind(5, new.uscc)
        try s.bind(6, new.payload.jsonText)
        try s.bind(7, now)
        try s.step()
        let cursor = s.int64(0)
        if let notice = dialect.directiveNotice { try database.execute(notice) }
        return Directive(id: id, cursor: cursor, type: new.type, platformID: new.platformID,
                         platformMerchantID: new.platformMerchantID, uscc: new.uscc,
                         payload: new.payload, createdAt: Timestamp.iso(now))
    }

    /// A platform's own directives after `cursor`, oldest first.
    public func directives(platformID: String, after cursor: Int64, limit: Int) throws -> [Directive] {
        let s = try database.prepare("""
            SELECT cursor, id, type, platform_merchant_id, uscc, payload, created_at FROM directives
            WHERE platform_id = ? AND cursor > ? ORDER BY cursor LIMIT ?
            """)
        defer { s.reset() }
        try s.bind(1, platformID)
        try s.bind(2, cursor)
        try s.bind(3, limit)
        var result: [Directive] = []
        while try s.step() {
            result.append(Directive(id: s.string(1) ?? "", cursor: s.int64(0), type: s.string(2) ?? "",
                                    platformID: platformID, platformMerchantID: s.string(3), uscc: s.string(4),
                                    payload: JSONValue.parse(Array((s.string(5) ?? "null").utf8)) ?? .null,
                                    createdAt: Timestamp.iso(s.int64(6))))
        }
        return result
    }
}
