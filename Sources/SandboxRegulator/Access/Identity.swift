/// Who is calling, as the identity middleware established it for the whole request.
public enum Identity: Sendable {
    /// A platform's agent, by its token (feeds and receipts also prove their body with HMAC).
    case platform(PlatformCredentials)
    /// The bootstrap admin token of the platforms file: for automation and for making the first
    /// staff accounts; it acts as the city bureau.
    case admin
    /// A staff member, by a session from a login or a personal API token.
    case staff(StaffMember)

    /// The scope of enterprises the caller may see; nil for a platform (it sees its own data
    /// through the platform routes, never staff views).
    public var jurisdiction: Jurisdiction? {
        switch self {
        case .platform: return nil
        case .admin: return .everything
        case .staff(let m): return m.jurisdiction
        }
    }

    /// The staff role, the admin token counting as the city bureau.
    public var role: StaffRole? {
        switch self {
        case .platform: return nil
        case .admin: return .city
        case .staff(let m): return m.role
        }
    }

    /// Who, for the audit trail.
    public var actor: String {
        switch self {
        case .platform(let p): return "platform:\(p.id)"
        case .admin: return "admin-token"
        case .staff(let m): return m.username
        }
    }

    public var staffMember: StaffMember? {
        if case .staff(let m) = self { return m }
        return nil
    }
}
