import SandboxWire

/// What one turn of the roster keeper did: enterprises decided, and the `sandbox` directives
/// (roster verdicts) it sent — the caller rings the directive bell when there are any.
public struct RosterRefresh: Sendable, Equatable {
    public var decided: Int
    public var verdicts: [Directive]
}
