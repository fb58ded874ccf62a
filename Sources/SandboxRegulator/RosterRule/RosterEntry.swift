import SandboxWire

/// One enterprise on the regulator's roster, decided per USCC across every platform
/// (docs/policy.md §5.3, RegulatorRosterRule).
public struct RosterEntry: Sendable, Equatable, Encodable {
    public var uscc: String
    /// The registry's name, when the regulator's registry knows the USCC.
    public var name: String?
    /// The regulator's decision: every platform proposes it and rates every storefront in an
    /// admitted class, no case is open anywhere, on neither list, registered locally, no removal
    /// in force (or the newest staff decision admitted it).
    public var member: Bool
    /// The earliest `member_since` among the platforms that have it as a member.
    public var memberSince: String?
    /// The worst current class across platforms (D worst); nil when none classified it.
    public var worstClass: String?
    /// Until when a regulator removal holds (RFC 3339); nil when none is in force.
    public var removalHoldUntil: String?
    public var platforms: [RosterDecision]
    /// Every staff override for the USCC, newest first.
    public var overrides: [RosterOverride]
    /// The platforms whose agents propose it (a proposal, not the decision).
    public var proposedBy: [String] = []
    /// Why it is not a member; empty when it is.
    public var notMemberBecause: [String] = []

    enum CodingKeys: String, CodingKey {
        case uscc, name, member, memberSince = "member_since", worstClass = "worst_class"
        case removalHoldUntil = "removal_hold_until", platforms, overrides
        case proposedBy = "proposed_by", notMemberBecause = "not_member_because"
    }

    // Encoded explicitly so that absent values are `null`, not missing members.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(uscc, forKey: .uscc); try c.encode(name, forKey: .name); try c.encode(member, forKey: .member)
        try c.encode(memberSince, forKey: .memberSince); try c.encode(worstClass, forKey: .worstClass)
        try c.encode(removalHoldUntil, forKey: .removalHoldUntil)
        try c.encode(platforms, forKey: .platforms); try c.encode(overrides, forKey: .overrides)
        try c.encode(proposedBy, forKey: .proposedBy); try c.encode(notMemberBecause, forKey: .notMemberBecause)
    }
}

/// One platform's current decision for one storefront, from its `roster` and `class` items.
public struct RosterDecision: Sendable, Equatable, Encodable {
    public var platformID: String
    public var platformMerchantID: String
    /// The platform's agent proposes the storefront (its own decision, the roster item's
    /// `proposed`); false when the platform sent a class but no roster decision for it. Whether
    /// the enterprise is a member is the regulator's decision (RosterEntry.member).
    public var member: Bool
    public var memberSince: String?
    public var source: String?
    /// The roster item's `decision` object as sent (decision, at, criteria, directive_id).
    public var decision: JSONValue
    public var readmitNotBefore: String?
    public var creditClass: String?
    public var packVersion: String?
    public var packSerial: Int64?
    public var updatedAt: String

    enum CodingKeys: String, CodingKey {
        case platformID = "platform_id", platformMerchantID = "platform_merchant_id", member
        case memberSince = "member_since", source, decision, readmitNotBefore = "readmit_not_before"
        case creditClass = "class", packVersion = "pack_version", packSerial = "pack_serial", updatedAt = "updated_at"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(platformID, forKey: .platformID); try c.encode(platformMerchantID, forKey: .platformMerchantID)
        try c.encode(member, forKey: .member); try c.encode(memberSince, forKey: .memberSince)
        try c.encode(source, forKey: .source); try c.encode(decision, forKey: .decision)
        try c.encode(readmitNotBefore, forKey: .readmitNotBefore); try c.encode(creditClass, forKey: .creditClass)
        try c.encode(packVersion, forKey: .packVersion); try c.encode(packSerial, forKey: .packSerial)
        try c.encode(updatedAt, forKey: .updatedAt)
    }
}

/// GET /v1/admin/roster answer.
struct RosterAnswer: Encodable {
    var priorityNote: String?
    var packVersion: String?
    var entries: [RosterEntry]

    enum CodingKeys: String, CodingKey { case priorityNote = "priority_note", packVersion = "pack_version", entries }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(priorityNote, forKey: .priorityNote); try c.encode(packVersion, forKey: .packVersion)
        try c.encode(entries, forKey: .entries)
    }
}
