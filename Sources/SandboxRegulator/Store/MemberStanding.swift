/// One member of an association's list and its standing, as the association reads it: the
/// regulator's kept roster decision, the worst class any platform gives it, its open cases.
public struct MemberStanding: Sendable, Equatable {
    public var uscc: String
    /// The registry's name, when the registry knows the USCC.
    public var name: String?
    /// Whether the regulator's roster admits it; nil when it is not on the roster (no platform
    /// has decided on it yet).
    public var member: Bool?
    public var worstClass: String?
    /// Cases open or overdue on any platform.
    public var openCases: Int
    /// When the association put it on its list (RFC 3339).
    public var addedAt: String
}
