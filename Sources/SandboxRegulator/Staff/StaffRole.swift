/// The parties that run the sandbox at the regulator (../shared/DOMAIN.md §8), as staff roles.
public enum StaffRole: String, Sendable, Codable, CaseIterable {
    /// 市局: sees and decides everything (rule packs, roster policy, draws, any directive, staff).
    case city
    /// 区/县局: the enterprises registered in its division (USCC characters 3–8) or with a
    /// storefront there.
    case district
    /// 行业协会 / 信用服务机构: its member enterprises only, from its member list.
    case association
    /// Reads everything, the audit trail included; changes nothing.
    case auditor

    /// Whether the role may change anything at all (the auditor only reads).
    public var mayChange: Bool { self != .auditor }

    /// Whether the role sees every enterprise (no jurisdiction filter).
    public var seesEverything: Bool { self == .city || self == .auditor }
}
