/// Which platforms hear the regulator's roster decision on one enterprise, and what (issue 12,
/// docs/policy.md §5.3). Pure: the store gathers the facts and sends the `sandbox` directives.
///
/// The agents propose; the regulator decides; an agent applies its own decision only while the
/// regulator has not told it "not a member". So a platform hears "not a member" when its agent
/// proposes a storefront of an enterprise the regulator does not admit (once, until the decision
/// turns), and "member" when the decision turns for a platform that was told "not a member".
/// A platform that proposes nothing and was told nothing hears nothing: at city scale most
/// enterprises are never members, and a verdict for each would be hundreds of thousands of
/// directives saying what the agents already do.
public enum RosterVerdicts {
    public struct Due: Sendable, Equatable {
        public var platformID: String
        public var member: Bool
    }

    /// - Parameters:
    ///   - member: the regulator's decision.
    ///   - proposing: platforms whose agent proposes a storefront of the enterprise.
    ///   - sent: the last verdict sent to each platform for the enterprise.
    public static func due(member: Bool, proposing: Set<String>, sent: [String: Bool]) -> [Due] {
        let platforms = member
            ? sent.filter { !$0.value }.map(\.key)
            : proposing.filter { sent[$0] != false }
        return platforms.sorted().map { Due(platformID: $0, member: member) }
    }
}
