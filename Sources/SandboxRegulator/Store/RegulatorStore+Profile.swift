import SandboxCore
import SandboxStorage
import SandboxWire

extension StoreSession {
    /// Everything filed under `uscc`, or nil when nothing is (neither records nor registry).
    /// `now` decides which staff removal holds are still in force.
    public func profile(uscc: String, now: Int64) throws -> MerchantProfile? {
        var profile = MerchantProfile(uscc: uscc, identity: .null, storefronts: [], licences: [], events: [], findings: [:],
                                      sandbox: nil, cases: [], instructions: [], prompts: [])
        var found = false
        let s = try database.prepare("""
            SELECT type, platform_id, key, content_hash, updated_at, data FROM records
            WHERE uscc = ? ORDER BY type, platform_id, key
            """)
        defer { s.reset() }
        try s.bind(1, uscc)
        while try s.step() {
            found = true
            let data = JSONValue.parse(Array((s.string(5) ?? "null").utf8)) ?? .null
            let record = StoredRecord(platformID: s.string(1) ?? "", key: s.string(2) ?? "",
                                      contentHash: s.string(3) ?? "", updatedAt: UTCTime.rfc3339(s.int64(4)), data: data)
            switch FeedItem.Kind(rawValue: s.string(0) ?? "") {
            case .merchant: profile.storefronts.append(record)
            case .licence: profile.licences.append(record)
            case .event: profile.events.append(record)
            case .findings:
                // A platform's findings for all its storefronts of this enterprise, together.
                var current: [JSONValue] = []
                if case .array(let a)? = data["current"] { current = a }
                var earlier: [JSONValue] = []
                if case .array(let a)? = profile.findings[record.platformID] { earlier = a }
                profile.findings[record.platformID] = .array(earlier + current)
            case .instruction: profile.instructions.append(record)
            case .prompt: profile.prompts.append(record)
            case .class, .roster, .case:
                // Read below through the roster and cases views, so the profile says what they say.
                break
            case .registry, nil:
                // A platform's copy of the registry entry: identity comes from the regulator's own registry.
                break
            }
        }
        if let entry = try registryEntry(uscc: uscc) {
            found = true
            profile.identity = entry
        }
        profile.sandbox = try roster(uscc: uscc, now: now).first
        // A profile is one enterprise: its cases are few; the cap only bounds a pathological one.
        profile.cases = try cases(CaseFilter(states: nil, ruleID: nil, uscc: uscc), limit: 1_000)
        // The bureaus' offline work on those cases, with every step (outcomes, penalties).
        profile.leads = try leads(uscc: uscc, today: CivilDate(unixTime: now))
        profile.repairs = try repairs(jurisdiction: .everything, state: nil, uscc: uscc, today: CivilDate(unixTime: now), limit: 1_000)
        if !profile.repairs.isEmpty { found = true }
        if profile.sandbox != nil || !profile.cases.isEmpty { found = true }
        return found ? profile : nil
    }
}

extension StoreSession {
    /// One platform's record by kind and key, as stored.
    public func storedRecord(platformID: String, kind: FeedItem.Kind, key: String) throws -> StoredRecord? {
        let s = try database.prepare("""
            SELECT content_hash, updated_at, data FROM records WHERE platform_id = ? AND type = ? AND key = ?
            """)
        defer { s.reset() }
        try s.bind(1, platformID)
        try s.bind(2, kind.rawValue)
        try s.bind(3, key)
        guard try s.step() else { return nil }
        return StoredRecord(platformID: platformID, key: key, contentHash: s.string(0) ?? "",
                            updatedAt: UTCTime.rfc3339(s.int64(1)),
                            data: JSONValue.parse(Array((s.string(2) ?? "null").utf8)) ?? .null)
    }
}
