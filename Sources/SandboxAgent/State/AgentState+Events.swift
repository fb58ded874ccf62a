import SandboxCore
import SandboxStorage

// Events (complaints, violations, …) and receipts.
extension AgentState {
    static let eventColumns = [
        "event_id", "platform_merchant_id", "event_type", "occurred_at", "severity", "description",
    ]

    static let receiptColumns = [
        "receipt_id", "instruction_id", "platform_merchant_id", "action", "at", "note",
    ]

    /// Stores an event unless the stored one has the same `hash`.
    @discardableResult
    public func upsert(_ e: EventRecord, hash: Int64, now: Int64) throws -> UpsertOutcome {
        let s = statements.upsertEvent
        try s.bind(all: e.eventID, e.platformMerchantID, e.eventType, e.occurredAt, e.severity, e.description, hash, now)
        return try queued(runUpsert(s), .event, e.eventID, now: now)
    }

    /// Stores a receipt unless the stored one has the same `hash`.
    @discardableResult
    public func upsert(_ r: ReceiptRecord, hash: Int64, now: Int64) throws -> UpsertOutcome {
        let s = statements.upsertReceipt
        try s.bind(all: r.receiptID, r.instructionID, r.platformMerchantID, r.action, r.at, r.note, hash, now)
        return try queued(runUpsert(s), .receipt, r.receiptID, now: now)
    }

    public func event(id: String) throws -> EventRecord? {
        try events(where: "event_id = ?", id).first
    }

    /// Whether any event is stored: a platform's first events file builds the events' index after
    /// its rows (`firstLoadIndex(for:)`).
    func holdsEvents() throws -> Bool {
        try database.int64("SELECT EXISTS (SELECT 1 FROM events)") == 1
    }

    /// The merchant's events, oldest first.
    public func events(merchantID: String) throws -> [EventRecord] {
        try events(where: "platform_merchant_id = ? ORDER BY occurred_at, event_id", merchantID)
    }

    private func events(where condition: String, _ value: String) throws -> [EventRecord] {
        let s = try database.prepare("SELECT \(Self.eventColumns.joined(separator: ", ")) FROM events WHERE \(condition)")
        defer { s.reset() }
        try s.bind(1, value)
        var result: [EventRecord] = []
        while try s.step() {
            let id = try s.text(0, "events.event_id")
            result.append(EventRecord(
                eventID: id, platformMerchantID: try s.text(1, "event \(id) platform_merchant_id"),
                eventType: try s.requiredCoded(2, as: EventType.self, "event \(id) event_type"),
                occurredAt: s.int64(3), severity: try s.coded(4, as: EventSeverity.self, "event \(id) severity"),
                description: s.string(5)))
        }
        return result
    }

    public func receipt(id: String) throws -> ReceiptRecord? {
        try receipts(where: "receipt_id = ?", id).first
    }

    /// The receipts that answer one instruction, oldest first.
    public func receipts(instructionID: String) throws -> [ReceiptRecord] {
        try receipts(where: "instruction_id = ? ORDER BY at, receipt_id", instructionID)
    }

    private func receipts(where condition: String, _ value: String) throws -> [ReceiptRecord] {
        let s = try database.prepare("SELECT \(Self.receiptColumns.joined(separator: ", ")) FROM receipts WHERE \(condition)")
        defer { s.reset() }
        try s.bind(1, value)
        var result: [ReceiptRecord] = []
        while try s.step() {
            let id = try s.text(0, "receipts.receipt_id")
            result.append(ReceiptRecord(
                receiptID: id, instructionID: try s.text(1, "receipt \(id) instruction_id"),
                platformMerchantID: try s.text(2, "receipt \(id) platform_merchant_id"),
                action: try s.requiredCoded(3, as: ReceiptAction.self, "receipt \(id) action"),
                at: s.int64(4), note: s.string(5)))
        }
        return result
    }
}
