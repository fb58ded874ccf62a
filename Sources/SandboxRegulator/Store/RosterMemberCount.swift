/// The sandbox's members in a place as a read counts them (StoreSession.keptRosterMembers): the
/// kept decisions, with the few not current decided by the read; and how many it left to the
/// roster keeper, counted as last decided.
struct RosterMemberCount: Equatable {
    var members: Int
    /// Marked or due enterprises of the place left undecided by the read.
    var undecided: Int
    /// The place has more than `undecided` marked or due enterprises (a backlog past what a read
    /// lists, right after a national load); none was decided by the read.
    var undecidedIsMore: Bool
}
