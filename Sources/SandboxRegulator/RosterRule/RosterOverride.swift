import SandboxWire

/// A staff decision on one enterprise (POST /v1/admin/roster/{uscc}), as recorded.
public struct RosterOverride: Sendable, Equatable, Encodable {
    public var id: Int64
    public var uscc: String
    public var action: String
    public var reason: String
    public var basis: String?
    public var holdDays: Int?
    /// A removal holds until then (RFC 3339); nil for an admission.
    public var holdUntil: String?
    /// The newest override of its USCC, a removal, and its hold not yet over.
    public var inForce: Bool
    /// The `sandbox` directives it created, one per platform holding the USCC.
    public var directiveIDs: [String]
    public var createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, uscc, action, reason, basis, holdDays = "hold_days", holdUntil = "hold_until"
        case inForce = "in_force", directiveIDs = "directive_ids", createdAt = "created_at"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(uscc, forKey: .uscc); try c.encode(action, forKey: .action)
        try c.encode(reason, forKey: .reason); try c.encode(basis, forKey: .basis); try c.encode(holdDays, forKey: .holdDays)
        try c.encode(holdUntil, forKey: .holdUntil); try c.encode(inForce, forKey: .inForce)
        try c.encode(directiveIDs, forKey: .directiveIDs); try c.encode(createdAt, forKey: .createdAt)
    }
}

extension RosterOverride {
    /// The `sandbox` directive an override sends to each platform holding the enterprise (and
    /// what the console's preview shows before it is sent).
    static func directivePayload(action: String, reason: String, basis: String?, holdDays: Int?) -> JSONValue {
        .object([
            "action": .string(action), "reason": .string(reason), "basis": basis.map(JSONValue.string) ?? .null,
            "hold_days": holdDays.map { .int(Int64($0)) } ?? .null,
        ])
    }
}
