import SandboxWire

/// One record as a platform filed it, for the staff's profile view.
public struct StoredRecord: Sendable, Equatable, Encodable {
    public var platformID: String
    public var key: String
    public var contentHash: String
    public var updatedAt: String
    public var data: JSONValue

    enum CodingKeys: String, CodingKey {
        case platformID = "platform_id", key, contentHash = "content_hash", updatedAt = "updated_at", data
    }
}

/// 全景多维信用画像: everything filed under one USCC, merged across platforms.
public struct MerchantProfile: Sendable, Equatable, Encodable {
    public var uscc: String
    /// The registry entry, when the registry knows the USCC.
    public var identity: JSONValue
    public var storefronts: [StoredRecord]
    public var licences: [StoredRecord]
    public var events: [StoredRecord]
    /// Current findings per platform id.
    public var findings: [String: JSONValue]
    /// Its standing in the sandbox across platforms — each storefront's class and roster
    /// decision, the union membership, staff overrides — as `GET /v1/admin/roster` shows it; nil
    /// when no platform has sent a policy decision for it and staff never overrode it.
    public var sandbox: RosterEntry?
    /// Every case filed under it by any platform (open and closed), newest opened first: the
    /// trigger, deadline, ladder steps and determination each platform's agent recorded.
    public var cases: [CaseLead]
    /// The instructions (guidance, warnings, suspensions, reinstatements, …) and prompts the
    /// platforms' agents issued to its storefronts, as filed.
    public var instructions: [StoredRecord]
    public var prompts: [StoredRecord]
    /// The district bureaus' work on its leads (核查, 立案, 结案 with measure and penalty).
    public var leads: [Lead] = []
    /// Its credit repair applications and their decisions.
    public var repairs: [CreditRepair] = []

    enum CodingKeys: String, CodingKey {
        case uscc, identity, storefronts, licences, events, findings, sandbox, cases, instructions, prompts, leads, repairs
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(uscc, forKey: .uscc)
        try c.encode(identity, forKey: .identity)
        try c.encode(storefronts, forKey: .storefronts)
        try c.encode(licences, forKey: .licences)
        try c.encode(events, forKey: .events)
        try c.encode(findings, forKey: .findings)
        // Explicit null: the field is always there, so a client tells "not in the sandbox
        // data" from "an older regulator".
        if let sandbox { try c.encode(sandbox, forKey: .sandbox) } else { try c.encodeNil(forKey: .sandbox) }
        try c.encode(cases, forKey: .cases)
        try c.encode(instructions, forKey: .instructions)
        try c.encode(prompts, forKey: .prompts)
        try c.encode(leads, forKey: .leads)
        try c.encode(repairs, forKey: .repairs)
    }
}
