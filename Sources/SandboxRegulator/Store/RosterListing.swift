/// One enterprise on a page of the kept roster (`regulator_roster`): the regulator's decision as
/// `RosterKeeper` last kept it — seconds behind the feeds at most — with what a list shows.
public struct RosterListing: Sendable, Equatable {
    public var uscc: String
    /// The registry's name, when the registry knows the USCC.
    public var name: String?
    public var member: Bool
    public var memberSince: String?
    public var worstClass: String?
    /// The platforms whose agents propose it.
    public var proposedBy: [String]
    /// Why it is not a member; empty when it is.
    public var notMemberBecause: [String]
    /// Until when a staff removal holds (RFC 3339), when one does.
    public var removalHoldUntil: String?
    /// The newest staff override's action (admit, remove), and how many there are.
    public var newestOverride: String?
    public var overrides: Int
    public var decidedAt: String
}
