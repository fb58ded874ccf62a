/// A staff account at the regulator. Passwords and tokens are never part of it: the store keeps
/// only their slow hash (PasswordHash) and digests.
public struct StaffMember: Sendable, Codable, Equatable {
    public var id: Int64
    /// Login name: 1–64 of `a-z 0-9 . _ -`, unique.
    public var username: String
    public var displayName: String
    public var role: StaffRole
    /// 行政区划代码 of a district bureau (6 digits, e.g. 510104 锦江区); only for `district`.
    public var district: String?
    /// The association's id; only for `association`.
    public var association: String?
    public var disabled: Bool
    public var createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, username, role, district, association, disabled
        case displayName = "display_name", createdAt = "created_at"
    }

    /// The scope this member works in.
    public var jurisdiction: Jurisdiction {
        switch role {
        case .city, .auditor: return .everything
        case .district: return .district(district ?? "")
        case .association: return .association(association ?? "")
        }
    }

    /// "username (role[, district])" for logs and the audit trail.
    public var label: String {
        var s = "\(username) (\(role.rawValue)"
        if let district { s += " \(district)" }
        if let association { s += " \(association)" }
        return s + ")"
    }

    /// Checks the fields a new account needs; nil when they hold, else what to fix.
    public static func problem(username: String, role: StaffRole, district: String?, association: String?) -> String? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-".utf8)
        guard (1...64).contains(username.utf8.count), username.utf8.allSatisfy(allowed.contains) else {
            return "username must be 1–64 of a-z 0-9 . _ - (lowercase)"
        }
        switch role {
        case .district:
            guard let district, Jurisdiction.isDivisionCode(district) else {
                return "a district account needs --district with the 6-digit 行政区划代码 of its bureau, e.g. 510104"
            }
            if association != nil { return "a district account has no association" }
        case .association:
            guard let association, (1...64).contains(association.utf8.count),
                  association.utf8.allSatisfy(allowed.contains) else {
                return "an association account needs --association with the association's id (a-z 0-9 . _ -)"
            }
            if district != nil { return "an association account has no district" }
        case .city, .auditor:
            if district != nil || association != nil { return "a \(role.rawValue) account has no district or association" }
        }
        return nil
    }
}
