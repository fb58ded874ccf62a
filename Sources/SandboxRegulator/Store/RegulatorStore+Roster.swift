import Foundation
import SandboxCore
import SandboxPolicy
import SandboxStorage
import SandboxWire

extension StoreSession {
    /// The policy items of one type that count, with the USCC they count for: that of the same
    /// platform's merchant record with the same key — the platform's own storefront. An item with
    /// no such storefront, or naming another USCC than its storefront's, counts for nothing: a
    /// platform decides the standing of its own storefronts only, never of another enterprise
    /// (issue 17; until the regulator decides the roster itself, docs/security.md).
    func policyItems(_ type: FeedItem.Kind, of selection: USCCSelection) throws -> [(platform: String, key: String, uscc: String?, data: JSONValue,
                                                                       updatedAt: Int64, packVersion: String?, packSerial: Int64?)] {
        // `type` is a literal in the SQL so SQLite's partial index (records_roster, …) applies;
        // PostgreSQL reads the storefronts by records_by_uscc and the items by records_key.
        let s = try database.prepare("""
            SELECT r.platform_id, r.key, m.uscc AS u, r.data, r.updated_at, r.pack_version, r.pack_serial
            FROM records r JOIN records m ON m.platform_id = r.platform_id AND m.type = 'merchant' AND m.key = r.key
            WHERE r.type = '\(type.rawValue)' AND m.uscc IS NOT NULL AND (r.uscc IS NULL OR r.uscc = m.uscc)
              AND \(condition("m.uscc", selection, 1))
            ORDER BY u, r.platform_id, r.key
            """)
        defer { s.reset() }
        try s.bind(1, selection.parameter)
        var out: [(platform: String, key: String, uscc: String?, data: JSONValue, updatedAt: Int64, packVersion: String?, packSerial: Int64?)] = []
        while try s.step() {
            out.append((s.string(0) ?? "", s.string(1) ?? "", s.string(2),
                        JSONValue.parse(Array((s.string(3) ?? "null").utf8)) ?? .null, s.int64(4), s.string(5), s.int64OrNil(6)))
        }
        return out
    }

    /// The union roster (docs/policy.md §5.3): every USCC with a roster or class item or an
    /// override, or just `uscc`. Items without a USCC (natural persons) are not on it.
    public func roster(uscc: String? = nil, now: Int64) throws -> [RosterEntry] {
        try roster(uscc.map(USCCSelection.one) ?? .all, now: now)
    }

    /// The union roster's entries of the selection, in USCC order (a set: those of its USCCs
    /// that are on it). Each input is one read for the whole selection.
    func roster(_ selection: USCCSelection, now: Int64) throws -> [RosterEntry] {
        var decisions: [String: [String: RosterDecision]] = [:]   // uscc → "platform\u{1F}key" → decision
        func slot(_ item: (platform: String, key: String, uscc: String?, data: JSONValue, updatedAt: Int64,
                           packVersion: String?, packSerial: Int64?), _ update: (inout RosterDecision) -> Void) {
            guard let u = item.uscc else { return }
            let k = item.platform + "\u{1F}" + item.key
            var d = decisions[u]?[k] ?? RosterDecision(platformID: item.platform, platformMerchantID: item.key, member: false,
                                                       memberSince: nil, source: nil, decision: .null, readmitNotBefore: nil,
                                                       creditClass: nil, packVersion: item.packVersion, packSerial: item.packSerial,
                                                       updatedAt: UTCTime.rfc3339(item.updatedAt))
            update(&d)
            decisions[u, default: [:]][k] = d
        }
        for item in try policyItems(.roster, of: selection) {
            slot(item) { d in
                // The agent's own decision is its proposal (`proposed`); an agent from before the
                // regulator decided sends only `member`, which was its own decision then.
                if case .bool(let b)? = item.data["proposed"] ?? item.data["member"] { d.member = b }
                d.memberSince = item.data["member_since"]?.stringValue
                d.source = item.data["source"]?.stringValue
                d.decision = item.data["decision"] ?? .null
                d.readmitNotBefore = item.data["readmit_not_before"]?.stringValue
                // The roster decision's pack and time win over the class item's.
                d.packVersion = item.packVersion; d.packSerial = item.packSerial; d.updatedAt = UTCTime.rfc3339(item.updatedAt)
            }
        }
        for item in try policyItems(.class, of: selection) {
            slot(item) { $0.creditClass = item.data["class"]?.stringValue }
        }
        let overrides = try rosterOverrides(of: selection, now: now)
        let usccs = Set(decisions.keys).union(overrides.keys).sorted()
        // The pack's roster policy; a pack that no longer compiles leaves Chengdu's (class A).
        let policy = (try? publishedPack())?.roster
        let openCases = try openCaseCounts(of: selection)
        let registries = try registryEntries(usccs)
        return usccs.map { u in
            let platforms = (decisions[u] ?? [:]).values.sorted { ($0.platformID, $0.platformMerchantID) < ($1.platformID, $1.platformMerchantID) }
            let held = overrides[u]?.first(where: \.inForce)
            let registry = registries[u]
            func flag(_ key: String) -> Bool? { if case .bool(let b)? = registry?[key] { return b }; return nil }
            let reasons = RegulatorRosterRule.reasons(.init(
                platforms: platforms, uscc: u, openCases: openCases[u] ?? 0, abnormalList: flag("abnormal_list"),
                seriousViolationList: flag("serious_violation_list"), admittedClasses: policy?.admittedClasses ?? ["A"],
                localDivisions: policy?.localDivisions ?? [], removalInForce: held != nil,
                admittedByStaff: overrides[u]?.first?.action == "admit"))
            let worst = InspectionSubject(uscc: u, name: "", member: false, classes: platforms.compactMap(\.creditClass)).worstClass
            return RosterEntry(uscc: u, name: registry?["name"]?.stringValue, member: reasons.isEmpty,
                               memberSince: reasons.isEmpty ? platforms.compactMap(\.memberSince).min() : nil, worstClass: worst,
                               removalHoldUntil: held?.holdUntil, platforms: platforms, overrides: overrides[u] ?? [],
                               proposedBy: platforms.filter(\.member).map(\.platformID), notMemberBecause: reasons)
        }
    }

    /// Cases open or overdue on any platform, per USCC.
    func openCaseCounts(of selection: USCCSelection) throws -> [String: Int] {
        let s = try database.prepare("""
            SELECT uscc, count(*) FROM records WHERE type = 'case' AND uscc IS NOT NULL AND \(condition("uscc", selection, 1))
              AND json_extract(data, '$.state') IN ('open', 'overdue') GROUP BY uscc
            """)
        defer { s.reset() }
        try s.bind(1, selection.parameter)
        var out: [String: Int] = [:]
        while try s.step() { out[s.string(0) ?? ""] = s.int(1) }
        return out
    }

    /// Overrides per USCC, newest first; only the newest can be in force.
    func rosterOverrides(of selection: USCCSelection, now: Int64) throws -> [String: [RosterOverride]] {
        let s = try database.prepare("""
            SELECT id, uscc, action, reason, basis, hold_days, hold_until, directive_ids, created_at FROM roster_overrides
            WHERE \(condition("uscc", selection, 1)) ORDER BY uscc, id DESC
            """)
        defer { s.reset() }
        try s.bind(1, selection.parameter)
        var out: [String: [RosterOverride]] = [:]
        while try s.step() {
            let u = s.string(1) ?? "", action = s.string(2) ?? "", until = s.int64OrNil(6)
            let newest = out[u] == nil
            var ids: [String] = []
            if case .array(let a)? = JSONValue.parse(Array((s.string(7) ?? "[]").utf8)) { ids = a.compactMap(\.stringValue) }
            out[u, default: []].append(RosterOverride(
                id: s.int64(0), uscc: u, action: action, reason: s.string(3) ?? "", basis: s.string(4),
                holdDays: s.isNull(5) ? nil : s.int(5), holdUntil: until.map(UTCTime.rfc3339),
                inForce: newest && action == "remove" && (until.map { now < $0 } ?? false),
                directiveIDs: ids, createdAt: UTCTime.rfc3339(s.int64(8))))
        }
        return out
    }

    /// The platforms that hold a storefront under `uscc` (their roster and class items count only
    /// through one, so a platform that merely filed items under the USCC hears nothing of it).
    /// `platformsHolding(uscc:)` for a list of enterprises in one statement (a directive to an
    /// uploaded list: a statement per USCC made the preview of 1,000 enterprises 0.3 s on
    /// PostgreSQL); every USCC of the list is a key, with no platform when none holds it.
    func platformsHolding(usccs: [String]) throws -> [String: [String]] {
        var holding: [String: [String]] = [:]
        for uscc in usccs { holding[uscc] = [] }
        guard !holding.isEmpty else { return holding }
        let list = JSONValue.array(holding.keys.sorted().map { .object(["u": .string($0)]) }).jsonText
        let s = try database.prepare("""
            SELECT DISTINCT r.uscc, r.platform_id
            FROM \(dialect.jsonObjects(1)) AS e JOIN records r ON r.uscc = json_extract(e.value, '$.u') AND r.type = 'merchant'
            ORDER BY r.uscc, r.platform_id
            """)
        defer { s.reset() }
        try s.bind(all: list)
        while try s.step() {
            if let uscc = s.string(0), let platform = s.string(1) { holding[uscc]?.append(platform) }
        }
        return holding
    }

    func platformsHolding(uscc: String) throws -> [String] {
        let s = try database.prepare("""
            SELECT DISTINCT platform_id FROM records WHERE uscc = ? AND type = 'merchant'
            ORDER BY platform_id
            """)
        defer { s.reset() }
        try s.bind(1, uscc)
        var out: [String] = []
        while try s.step() { out.append(s.string(0) ?? "") }
        return out
    }

    /// Records a staff override and creates one `sandbox` directive per platform holding the USCC,
    /// all in one transaction; nil when no platform holds it.
    public func overrideRoster(uscc: String, action: String, reason: String, basis: String?, holdDays: Int?,
                               now: Int64) throws -> (RosterOverride, [Directive])? {
        try database.transaction {
            let platforms = try platformsHolding(uscc: uscc)
            guard !platforms.isEmpty else { return nil }
            let payload = RosterOverride.directivePayload(action: action, reason: reason, basis: basis, holdDays: holdDays)
            let directives = try platforms.map {
                try insertDirective(NewDirective(platformID: $0, type: "sandbox", uscc: uscc, payload: payload), now: now)
            }
            try markRosterDirty([uscc])
            let holdUntil: Int64? = action == "remove" ? now + Int64(holdDays ?? 0) * 86_400 : nil
            let s = try database.prepare("""
                INSERT INTO roster_overrides (uscc, action, reason, basis, hold_days, hold_until, directive_ids, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """)
            defer { s.reset() }
            try s.bind(1, uscc)
            try s.bind(2, action)
            try s.bind(3, reason)
            try s.bind(4, basis)
            try s.bind(5, holdDays)
            try s.bind(6, holdUntil)
            try s.bind(7, JSONValue.array(directives.map { .string($0.id) }).jsonText)
            try s.bind(8, now)
            try s.step()
            let recorded = RosterOverride(id: s.int64(0), uscc: uscc, action: action, reason: reason, basis: basis,
                                          holdDays: holdDays, holdUntil: holdUntil.map(UTCTime.rfc3339),
                                          inForce: action == "remove" && (holdUntil.map { now < $0 } ?? false),
                                          directiveIDs: directives.map(\.id), createdAt: UTCTime.rfc3339(now))
            return (recorded, directives)
        }
    }
}
