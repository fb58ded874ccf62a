import SandboxCore

/// One stored draw as the console's list shows it: who made it when, from which seed, over which
/// population, how many were drawn and how many results are in, and whether it is published.
public struct DrawSummary: Sendable, Equatable {
    public var id: Int64
    public var seed: String
    public var asOf: String
    /// The division the population was limited to; nil = the whole city.
    public var region: String?
    public var drawn: Int
    public var results: Int
    public var createdAt: Int64
    public var createdBy: String
    public var publishedAt: Int64?

    /// drawn → results entered (every drawn enterprise has one) → published.
    public enum State: String, Sendable { case drawn, resultsEntered = "results_entered", published }

    public var state: State {
        if publishedAt != nil { return .published }
        return results >= drawn ? .resultsEntered : .drawn
    }
}
