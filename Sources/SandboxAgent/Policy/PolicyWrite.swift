import SandboxCore
import SandboxPolicy

/// One write of a pass's outcome, already rendered and encoded: JSON lines, items compressed into
/// their stored form, audit events as their lines. `PolicyRenderer` makes them (pure but for
/// reading shop names and evidence texts); `PolicyWriter` applies them in order to the state and
/// the outbox on the thread that owns the state. Rendering and encoding were most of a first
/// pass's CPU, so a pass renders on a second core while the rows are written (issue 16).
enum PolicyWrite {
    /// A merchant's class and roster standing, final for the pass.
    case merchantState(merchantID: String, MerchantPolicyState)
    /// A policy feed item (`PolicyItemCodec.encode`), queued for the regulator.
    case item(FeedType, key: String, uscc: String?, PolicyPayload, packVersion: String, packSerial: Int)
    /// A case's row, with its record; the writer finds its rule snapshot's id.
    indirect case policyCase(PolicyCase, nextDue: Int64?, record: PolicyPayload)
    case instruction(PolicyInstruction)
    /// A receipt matched or overdue: the writer reads the instruction's line from the state, so it
    /// renders this one itself (a few a day). `uscc` and `merchantID` are its case's (for the
    /// item and the audit event), `merchantUSCC` the merchant's as the facts hold it (for the event).
    case receiptChange(ReceiptStateChange, uscc: String?, merchantID: String, merchantUSCC: String?)
    case prompt(PromptIssue)
    case episodeEnded(merchantID: String, promptID: String)
    case directiveApplied(String)
    /// A line of the outbox's file of `kind` (`guidance`, `sandbox`, `prompt`, …).
    case line(kind: String, [UInt8])
    /// An audit event: its JSON line's bytes (`AuditEvent.line`) in the chunk's `RenderedPart.audit`.
    case audit(Range<Int>)
}
