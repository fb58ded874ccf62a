import SandboxCore
import SandboxStorage
import SandboxWire

extension StoreSession {
    /// Files receipts once each: a receipt_id seen before from this platform changes nothing. A
    /// new `repair_application` receipt also files a credit repair application
    /// (`fileRepairApplication`) in the same transaction.
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
                let new = database.changes
                accepted += new
                if new > 0, r.action == .repairApplication { try fileRepairApplication(platformID: platformID, r, now: now) }
            }
            return (accepted, receipts.count - accepted)
        }
    }

    /// Of `ids`, those that are instructions to `platformID`: a directive addressed to it, or an
    /// `instruction` or `prompt` item it filed itself (its agent's own guidance, warnings,
    /// suspensions, prompts — a repair application answers the 信用修复 prompt). A receipt for
    /// anything else — another platform's directive, an id nobody issued — is refused.
    public func instructionIDs(platformID: String, among ids: Set<String>) throws -> Set<String> {
        let s = try database.prepare("""
            SELECT EXISTS (SELECT 1 FROM directives WHERE id = ?1 AND platform_id = ?2)
                OR EXISTS (SELECT 1 FROM records WHERE platform_id = ?2 AND type = 'instruction' AND key = ?1)
                OR EXISTS (SELECT 1 FROM records WHERE platform_id = ?2 AND type = 'prompt' AND key = ?1)
            """)
        var known: Set<String> = []
        for id in ids {
            try s.bind(1, id)
            try s.bind(2, platformID)
            if try s.step(), s.int(0) != 0 { known.insert(id) }
            s.reset()
        }
        return known
    }

    /// How many receipts a platform filed (for tests and stats).
    public func receiptCount(platformID: String) throws -> Int {
        let s = try database.prepare("SELECT COUNT(*) FROM receipts WHERE platform_id = ?")
        defer { s.reset() }
        try s.bind(1, platformID)
        return try s.step() ? s.int(0) : 0
    }
}

/// A directive as staff see it: what was ordered, and every receipt the platform sent for it.
public struct DirectiveStatus: Sendable, Encodable {
    public var directive: Directive
    public var receipts: [FiledReceipt]
}

public struct FiledReceipt: Sendable, Encodable, Equatable {
    public var receiptID: String
    public var platformMerchantID: String
    public var action: String
    public var at: String
    public var note: String?
    public var receivedAt: String

    enum CodingKeys: String, CodingKey {
        case receiptID = "receipt_id", platformMerchantID = "platform_merchant_id", action, at, note
        case receivedAt = "received_at"
    }
}

extension StoreSession {
    /// One directive by id with its receipts (staff side), nil when unknown.
    public func directiveStatus(id: String) throws -> DirectiveStatus? {
        let d = try database.prepare("""
            SELECT cursor, id, type, platform_id, platform_merchant_id, uscc, payload, created_at FROM directives WHERE id = ?
            """)
        defer { d.reset() }
        try d.bind(1, id)
        guard try d.step() else { return nil }
        let directive = Directive(id: d.string(1) ?? "", cursor: d.int64(0), type: d.string(2) ?? "",
                                  platformID: d.string(3) ?? "", platformMerchantID: d.string(4), uscc: d.string(5),
                                  payload: JSONValue.parse(Array((d.string(6) ?? "null").utf8)) ?? .null,
                                  createdAt: UTCTime.rfc3339(d.int64(7)))
        let receipts = try filedReceipts(platformID: directive.platformID, instructionID: id)
        return DirectiveStatus(directive: directive, receipts: receipts)
    }

    static let filedReceiptsQuery = """
        SELECT receipt_id, platform_merchant_id, action, at, note, received_at FROM receipts
        WHERE platform_id = ? AND instruction_id = ? ORDER BY at, receipt_id
        """

    /// Every receipt a platform sent for one instruction (its directive or its agent's own), oldest first.
    public func filedReceipts(platformID: String, instructionID: String) throws -> [FiledReceipt] {
        let r = try database.prepare(Self.filedReceiptsQuery)
        defer { r.reset() }
        try r.bind(1, platformID)
        try r.bind(2, instructionID)
        var receipts: [FiledReceipt] = []
        while try r.step() {
            receipts.append(FiledReceipt(receiptID: r.string(0) ?? "", platformMerchantID: r.string(1) ?? "",
                                         action: r.string(2) ?? "", at: UTCTime.rfc3339(r.int64(3)), note: r.string(4),
                                         receivedAt: UTCTime.rfc3339(r.int64(5))))
        }
        return receipts
    }
}
