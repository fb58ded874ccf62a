import SandboxCore
import SandboxWire

/// Directives and receipts in the reader's language: the type of a directive, what the platform
/// answered, and where a directive stands — answered (the newest receipt), awaiting a receipt
/// (with the days since it was sent) or not expecting one (ReceiptRule).
enum DirectiveWording {
    static func type(_ type: String, _ c: ConsoleRequestState) -> String {
        switch type.lowercased() {
        case "guidance": return c.t(.typeGuidance)
        case "warning": return c.t(.typeWarning)
        case "takedown": return c.t(.typeTakedown)
        case "suspend": return c.t(.typeSuspend)
        case "terminate": return c.t(.typeTerminate)
        case "reinstate": return c.t(.typeReinstate)
        case "prompt": return c.t(.typePrompt)
        case "sandbox": return c.t(.typeSandbox)
        case "determination": return c.t(.typeDetermination)
        case "event": return c.t(.typeEvent)
        case "confirmation": return c.t(.typeConfirmation)
        case "turnover": return c.t(.typeTurnover)
        default: return type
        }
    }

    /// The type, and for a `sandbox` directive what it said: the regulator's roster verdict
    /// (member or not) or a staff override (admit or remove).
    static func describe(_ d: Directive, _ c: ConsoleRequestState) -> String {
        let name = type(d.type, c)
        guard d.type == "sandbox" else { return name }
        if let verdict = d.payload["verdict"]?.stringValue {
            return "\(name)：\(verdict == "member" ? c.t(.member) : c.t(.notMember))"
        }
        if let action = d.payload["action"]?.stringValue { return "\(name)：\(RosterPage.overrideName(action, c))" }
        return name
    }

    /// A receipt's action (EXPORT-FORMAT.md `receipts-*`).
    static func receipt(_ action: String, _ c: ConsoleRequestState) -> String {
        switch action {
        case "executed": return c.t(.receiptExecuted)
        case "rectified": return c.t(.receiptRectified)
        case "rejected": return c.t(.receiptRejected)
        case "repair_application": return c.t(.receiptRepair)
        default: return action
        }
    }

    /// Where the directive stands, and the days it has waited when a receipt is still owed.
    static func state(_ d: TrackedDirective, now: Int64, _ c: ConsoleRequestState) -> (text: String, waitingDays: Int64?) {
        if let action = d.lastAction {
            let note = d.lastNote.map { "：\($0)" } ?? ""
            return (receipt(action, c) + note, nil)
        }
        guard ReceiptRule.expectedFor.contains(d.directive.type.lowercased()) else { return (c.t(.receiptNotExpected), nil) }
        let days = UTCTime.parse(d.directive.createdAt).map { max(0, (now - $0) / 86_400) }
        return (c.t(.receiptAwaiting), days)
    }
}
