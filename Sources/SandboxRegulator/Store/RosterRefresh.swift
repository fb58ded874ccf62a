import SandboxWire

/// What one turn of the roster keeper did: enterprises decided, the `sandbox` directives
/// (roster verdicts) it sent — the caller rings the directive bell when there are any — and
/// where the next turn takes up the marks.
public struct RosterRefresh: Sendable, Equatable {
    public var decided: Int
    public var verdicts: [Directive]
    /// The last mark this turn chose when it chose a full turn of them: the next turn takes the
    /// marks past it. nil: it reached the end of the marks; the next starts from the first.
    public var after: String? = nil
}
