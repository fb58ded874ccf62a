/// How the regulator link verifies stored merchants again when the regulator changed what they
/// are judged on — a registry entry, a storefront's summed exempt turnover — inside the
/// transaction that applies the change, their report lines committed with it.
///
/// Handed in by whoever assembles the agent (`Run/`: the pipeline's verification), so the link
/// never builds a file pipeline of its own and `Sync/` and `Pipeline/` need nothing of each other
/// (issue 16, one-way house).
public struct MerchantReverifier: Sendable {
    /// One round on one state connection: `body` applies the change and names each merchant to
    /// verify again (`verify(id)`, at once, in that order; an unknown id is skipped). The report
    /// lines are committed when `body` returns — call it inside the caller's open transaction —
    /// and discarded when it throws. Returns how many merchants' findings changed.
    public typealias Round = (_ body: (_ verify: (String) throws -> Void) throws -> Void) throws -> Int

    /// Makes the round for a thread's own state connection.
    let open: @Sendable (AgentState) -> Round

    public init(_ open: @escaping @Sendable (AgentState) -> Round) {
        self.open = open
    }
}
