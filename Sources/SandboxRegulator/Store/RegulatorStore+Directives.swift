import Foundation
import SandboxCore
import SandboxStorage
import SandboxWire

extension StoreSession {
    /// Stores a directive for one platform; its cursor is above every earlier one.
    public func createDirective(_ new: NewDirective, now: Int64) throws -> Directive {
        try database.transaction { try insertDirective(new, now: now) }
    }

    /// Stores directives staff issued by hand, all or none, each marked with who issued it.
    public func issueDirectives(_ list: [NewDirective], issuedBy: String, now: Int64) throws -> [Directive] {
        try database.transaction { try list.map { try insertDirective($0, now: now, issuedBy: issuedBy) } }
    }

    /// The insert of `createDirective`, inside the caller's transaction. `issuedBy` names the
    /// staff member (or the admin token) for a directive issued by hand — the console's follow
    /// page lists those; the directives the regulator sends by itself or as part of a decision
    /// (verdicts, overrides, closures, prompts) leave it null.
    func insertDirective(_ new: NewDirective, now: Int64, issuedBy: String? = nil) throws -> Directive {
        let id = "dir-" + UUID().uuidString.lowercased()
        // Cursors must become visible in their order, or a poller that read cursor 11 would never
        // see a 10 committed after it; SQLite writes one at a time, PostgreSQL takes a lock.
        try dialect.serializeCursors(database)
        let s = try database.prepare("""
            INSERT INTO directives (id, platform_id, type, platform_merchant_id, uscc, payload, created_at, issued_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING cursor
            """)
        defer { s.reset() }
        try s.bind(1, id)
        try s.bind(2, new.platformID)
        try s.bind(3, new.type)
        try s.bind(4, new.platformMerchantID)
        try s.bind(5, new.uscc)
        try s.bind(6, new.payload.jsonText)
        try s.bind(7, now)
        try s.bind(8, issuedBy)
        try s.step()
        let cursor = s.int64(0)
        if let notice = dialect.directiveNotice { try database.execute(notice) }
        return Directive(id: id, cursor: cursor, type: new.type, platformID: new.platformID,
                         platformMerchantID: new.platformMerchantID, uscc: new.uscc,
                         payload: new.payload, createdAt: UTCTime.rfc3339(now))
    }

    /// Directives the regulator sends by itself, several in one statement (the roster keeper's
    /// verdicts; one by one each was three round trips on PostgreSQL): the cursor lock and the
    /// notice once for all. Cursors follow the list's order, as one `insertDirective` each would.
    func insertDirectives(_ list: [NewDirective], now: Int64) throws -> [Directive] {
        guard !list.isEmpty else { return [] }
        let ids = list.map { _ in "dir-" + UUID().uuidString.lowercased() }
        try dialect.serializeCursors(database)
        let rows = zip(ids, list).map { id, new in
            JSONValue.object(["id": .string(id), "platform_id": .string(new.platformID), "type": .string(new.type),
                              "platform_merchant_id": new.platformMerchantID.map(JSONValue.string) ?? .null,
                              "uscc": new.uscc.map(JSONValue.string) ?? .null, "payload": .string(new.payload.jsonText)])
        }
        let s = try database.prepare("""
            INSERT INTO directives (id, platform_id, type, platform_merchant_id, uscc, payload, created_at)
            SELECT json_extract(e.value, '$.id'), json_extract(e.value, '$.platform_id'), json_extract(e.value, '$.type'),
                   json_extract(e.value, '$.platform_merchant_id'), json_extract(e.value, '$.uscc'), json_extract(e.value, '$.payload'), ?2
            FROM \(dialect.jsonObjects(1)) AS e
            RETURNING id, cursor
            """)
        defer { s.reset() }
        try s.bind(all: JSONValue.array(rows).jsonText, now)
        var cursors: [String: Int64] = [:]
        while try s.step() { cursors[s.string(0) ?? ""] = s.int64(1) }
        if let notice = dialect.directiveNotice { try database.execute(notice) }
        return try zip(ids, list).map { id, new in
            guard let cursor = cursors[id] else { throw StoreLocationError("directive \(id) was inserted without a cursor") }
            return Directive(id: id, cursor: cursor, type: new.type, platformID: new.platformID,
                             platformMerchantID: new.platformMerchantID, uscc: new.uscc, payload: new.payload,
                             createdAt: UTCTime.rfc3339(now))
        }
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
        while try s.step() { result.append(Self.directive(s, platformID: platformID)) }
        return result
    }

    /// A platform's directives of the types that expect a receipt (ReceiptRule) with none yet,
    /// oldest first, after `cursor`: what the platform still owes an answer to. The partial
    /// index directives_expecting_receipt (schema step 23) holds only those types, so the
    /// platform's prompts and notices are never read; each one's receipts are one index probe.
    public func awaitingReceipt(platformID: String, after cursor: Int64, limit: Int) throws -> [Directive] {
        // The types are ReceiptRule's fixed list, never caller text: safe to inline (and the
        // same text as the index's condition, so the index applies).
        let types = ReceiptRule.expectedFor.sorted().map { "'\($0)'" }.joined(separator: ", ")
        let s = try database.prepare("""
            SELECT d.cursor, d.id, d.type, d.platform_merchant_id, d.uscc, d.payload, d.created_at FROM directives d
            WHERE d.platform_id = ?1 AND lower(d.type) IN (\(types)) AND d.cursor > ?2
              AND NOT EXISTS (SELECT 1 FROM receipts r WHERE r.platform_id = d.platform_id AND r.instruction_id = d.id)
            ORDER BY d.cursor LIMIT ?3
            """)
        defer { s.reset() }
        try s.bind(all: platformID, cursor, limit)
        var result: [Directive] = []
        while try s.step() { result.append(Self.directive(s, platformID: platformID)) }
        return result
    }

    /// A directive from a row of (cursor, id, type, platform_merchant_id, uscc, payload, created_at).
    private static func directive(_ s: any SQLStatement, platformID: String) -> Directive {
        Directive(id: s.string(1) ?? "", cursor: s.int64(0), type: s.string(2) ?? "",
                  platformID: platformID, platformMerchantID: s.string(3), uscc: s.string(4),
                  payload: JSONValue.parse(Array((s.string(5) ?? "null").utf8)) ?? .null,
                  createdAt: UTCTime.rfc3339(s.int64(6)))
    }
}
