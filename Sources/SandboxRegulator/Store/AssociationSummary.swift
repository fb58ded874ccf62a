/// One 行业协会 as the city sees it: its id, the name its accounts go by, how many enterprises
/// its member list holds and how many prompts it has sent.
public struct AssociationSummary: Sendable, Equatable {
    public var id: String
    /// The display name of one of its staff accounts, when it has one.
    public var name: String?
    public var members: Int
    public var prompts: Int
}
