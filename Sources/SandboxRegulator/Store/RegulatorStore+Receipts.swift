import SandboxCore
import SandboxStorage

extension RegulatorStore {
    /// Files receipts once each: a receipt_id seen before from this platform changes nothing.
    public func storeReceipts(platformID: String, _ receipts: [ReceiptRecord], now: Int64) throws -> (accepted: Int, duplicates: Int) {
        try database.transaction {
            let s = try database.prepare("""
                INSERT INTO receipts (platform_id, receipt_id, instruction_id, platform_merchant_id, action, at, note, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """)
            var accepted = 0
            for r in receipts {
                try s.bind(1, platformID)
                try s.bind(2, r.receiptID)
                try s.bind(3, r.instructionID)
                try s.bind(4, r.platformMerchantID)
                try s.bind(5, r.action.rawValue)
                try s.bind(6, r.at)
                try s.bind(7, r.note)
                try s.bind(8, now)
                try s.step()
                s.reset()
                accepted += database.changes
            }
            return (accepted, receipts.count - accepted)
        }
    }

    /// How many receipts a platform filed (for tests and stats).
    public func receiptCount(platformID: String) throws -> Int {
        let s = try database.prepare("SELECT COUNT(*) FROM receipts WHERE platform_id = ?")
        defer { s.reset() }
        try s.bind(1, platformID)
        return try s.step() ? s.int(0) : 0
    }
}
