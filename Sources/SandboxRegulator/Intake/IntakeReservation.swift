/// One request's share of the `IntakeBudget`: grows as the request comes to hold more (its body,
/// the items parsed from it) and is given back whole when the request ends, however it ends.
///
/// A share is used by one task at a time — the handler, then the intake thread it hands the
/// parsing to, then the handler again — so it needs no lock of its own.
public final class IntakeReservation: @unchecked Sendable {
    let budget: IntakeBudget
    public private(set) var held = 0

    init(budget: IntakeBudget) { self.budget = budget }

    deinit { if held > 0 { budget.give(held) } }

    /// Takes `bytes` more. Throws `.tooLarge` when this request alone would need more than the
    /// whole budget (it can never be taken: 413), `.busy` when other requests hold the rest (429).
    public func grow(by bytes: Int) throws(IntakeRefusal) {
        guard bytes > 0 else { return }
        let (total, overflow) = held.addingReportingOverflow(bytes)
        guard !overflow, total <= budget.capacity else { throw .tooLarge(capacity: budget.capacity) }
        guard budget.take(bytes) else { throw .busy }
        held = total
    }

    /// Gives everything back before the request ends (its answer is small).
    public func release() {
        if held > 0 { budget.give(held) }
        held = 0
    }
}

/// Why a share of the intake budget was refused.
public enum IntakeRefusal: Error, Equatable {
    /// Other requests hold the budget now: try again shortly.
    case busy
    /// This request needs more than the whole budget: it never fits.
    case tooLarge(capacity: Int)
}
