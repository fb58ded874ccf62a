import SandboxCore

/// One row of a platform's events export (complaints, disputes, violations, penalties, recalls).
struct EventPlan: Sendable {
    var storefront: Int
    /// The event's number within its storefront (part of its id).
    var number: Int
    var type: EventType
    var severity: EventSeverity
    var day: Int
    /// Minutes after midnight (Asia/Shanghai).
    var minute: Int
    /// Index into the description vocabulary of its type.
    var description: Int
}
