import SandboxCore

/// An `event` directive: the regulator's own finding about a merchant — a lead closed (结案) with
/// a penalty or an established violation — filed as an event of the storefront, exactly as an
/// `events-*` row would be, so the indicators (supervision information) count it.
enum RegulatorEvent {
    /// The event record the directive carries, or nil when it names no storefront or lacks the
    /// fields an event needs (the directive is still written to the outbox and audited).
    static func record(_ d: ReceivedDirective) -> EventRecord? {
        guard d.type == "event", let merchant = d.merchantID, let id = d.payload["event_id"] as? String, !id.isEmpty,
              let type = (d.payload["event_type"] as? String).flatMap(EventType.init(rawValue:)) else { return nil }
        let occurred = (d.payload["occurred_at"] as? String).flatMap { try? DateField.dateTime($0) } ?? d.createdAt
        return EventRecord(eventID: id, platformMerchantID: merchant, eventType: type, occurredAt: occurred,
                           severity: (d.payload["severity"] as? String).flatMap(EventSeverity.init(rawValue:)),
                           description: d.payload["description"] as? String)
    }
}
