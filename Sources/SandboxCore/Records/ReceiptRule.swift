/// Which instruction types the platform answers with a receipt (docs/outbox.md): one list for the
/// agent, which marks a directive's outbox line `receipt_expected`, and the regulator, which counts
/// its directives still waiting for an answer. Types are compared in lower case.
public enum ReceiptRule {
    public static let expectedFor: Set<String> = ["guidance", "warning", "takedown", "suspend", "terminate", "reinstate"]
}
