/// Which part of the kept roster a console page lists: the caller's jurisdiction, and the
/// filters a person chose — a place, the standing, the worst class — in USCC order after `after`.
public struct RosterFilter: Sendable, Equatable {
    public var jurisdiction: Jurisdiction
    /// A 6-digit division: enterprises registered there or with a storefront there.
    public var region: String?
    public var member: Bool?
    /// "A"…"D", or `unclassified` for enterprises no platform has classed yet.
    public var worstClass: String?
    /// Paging: only USCCs after this one.
    public var after: String?

    public static let unclassified = "unclassified"

    public init(jurisdiction: Jurisdiction, region: String? = nil, member: Bool? = nil, worstClass: String? = nil, after: String? = nil) {
        self.jurisdiction = jurisdiction; self.region = region; self.member = member; self.worstClass = worstClass; self.after = after
    }
}
