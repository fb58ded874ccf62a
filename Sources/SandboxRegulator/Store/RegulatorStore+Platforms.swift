import SandboxCore
import SandboxStorage

extension StoreSession {
    /// What the store knows of each platform's link: last batch, last receipt, directives waiting
    /// for a receipt, the counters. `lastDirectivePollAt` and `state` are the caller's to fill.
    func platformActivity(_ platformIDs: [String]) throws -> [PlatformHealth] {
        var health = Dictionary(uniqueKeysWithValues: platformIDs.map {
            ($0, PlatformHealth(state: "never", platformID: $0, directivesAwaitingReceipt: 0,
                                batchesAccepted: 0, itemsAccepted: 0, itemsRejected: 0))
        })
        func each(_ sql: String, _ body: (any SQLStatement, inout PlatformHealth) -> Void) throws {
            let s = try database.prepare(sql)
            defer { s.reset() }
            while try s.step() {
                guard let id = s.string(0), var h = health[id] else { continue }
                body(s, &h)
                health[id] = h
            }
        }
        try each("SELECT platform_id, MAX(received_at) FROM batches GROUP BY platform_id") { s, h in h.lastBatchAt = s.int64OrNil(1) }
        try each("SELECT platform_id, MAX(received_at) FROM receipts GROUP BY platform_id") { s, h in h.lastReceiptAt = s.int64OrNil(1) }
        try each("SELECT platform_id, batches_accepted, items_accepted, items_rejected FROM platform_counters") { s, h in
            h.batchesAccepted = s.int(1); h.itemsAccepted = s.int(2); h.itemsRejected = s.int(3)
        }
        // The types are ReceiptRule's fixed list, never caller text: safe to inline.
        let types = ReceiptRule.expectedFor.sorted().map { "'\($0)'" }.joined(separator: ", ")
        try each("""
            SELECT d.platform_id, COUNT(*), MIN(d.created_at) FROM directives d
            WHERE lower(d.type) IN (\(types))
              AND NOT EXISTS (SELECT 1 FROM receipts r WHERE r.platform_id = d.platform_id AND r.instruction_id = d.id)
            GROUP BY d.platform_id
            """) { s, h in
            h.directivesAwaitingReceipt = s.int(1); h.oldestAwaitingSince = s.int64OrNil(2)
        }
        return platformIDs.compactMap { health[$0] }
    }
}
