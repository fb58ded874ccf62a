import SandboxStorage
import SandboxWire

/// Why a staff change was refused, said so the caller can fix it.
public struct StaffError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

// Staff accounts, their sessions and personal API tokens, association member lists.
extension StoreSession {
    private static let staffColumns = "id, username, display_name, role, district, association, disabled, created_at"

    private static func member(_ s: any SQLStatement) -> StaffMember {
        StaffMember(id: s.int64(0), username: s.string(1) ?? "", displayName: s.string(2) ?? "",
                    role: StaffRole(rawValue: s.string(3) ?? "") ?? .auditor, district: s.string(4),
                    association: s.string(5), disabled: s.int(6) != 0, createdAt: s.int64(7))
    }

    public func addStaff(username: String, displayName: String, role: StaffRole, district: String?,
                         association: String?, passwordHash: String, now: Int64) throws -> StaffMember {
        if let problem = StaffMember.problem(username: username, role: role, district: district, association: association) {
            throw StaffError(problem)
        }
        return try database.transaction {
            if try staffAccount(username: username) != nil { throw StaffError("a staff account \(username) exists already") }
            let s = try database.prepare("""
                INSERT INTO staff (username, display_name, role, district, association, password_hash, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id
                """)
            defer { s.reset() }
            try s.bind(all: username, displayName, role.rawValue, district, association, passwordHash, now)
            try s.step()
            return StaffMember(id: s.int64(0), username: username, displayName: displayName, role: role,
                               district: district, association: association, disabled: false, createdAt: now)
        }
    }

    /// The account and its password hash.
    public func staffAccount(username: String) throws -> (member: StaffMember, passwordHash: String)? {
        let s = try database.prepare("SELECT \(Self.staffColumns), password_hash FROM staff WHERE username = ?")
        defer { s.reset() }
        try s.bind(all: username)
        guard try s.step() else { return nil }
        return (Self.member(s), s.string(8) ?? "")
    }

    public func staffList() throws -> [StaffMember] {
        let s = try database.prepare("SELECT \(Self.staffColumns) FROM staff ORDER BY username")
        defer { s.reset() }
        var result: [StaffMember] = []
        while try s.step() { result.append(Self.member(s)) }
        return result
    }

    /// Disables (or enables) an account; disabling also ends its sessions and revokes its tokens.
    /// False when there is no such account.
    public func setStaffDisabled(username: String, _ disabled: Bool) throws -> Bool {
        try database.transaction {
            guard let account = try staffAccount(username: username) else { return false }
            let s = try database.prepare("UPDATE staff SET disabled = ? WHERE id = ?")
            defer { s.reset() }
            try s.bind(all: disabled, account.member.id)
            try s.step()
            if disabled {
                let d = try database.prepare("DELETE FROM staff_credentials WHERE staff_id = ?")
                defer { d.reset() }
                try d.bind(all: account.member.id)
                try d.step()
            }
            return true
        }
    }

    /// Stores a session or token by the digest of its secret.
    public func addStaffCredential(digest: [UInt8], staffID: Int64, kind: String, name: String?, now: Int64,
                                   expiresAt: Int64?) throws {
        let s = try database.prepare("""
            INSERT INTO staff_credentials (digest, staff_id, kind, name, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
            """)
        defer { s.reset() }
        try s.bind(all: digest, staffID, kind, name, now, expiresAt)
        try s.step()
    }

    /// The enabled member a session or token digest belongs to, with the credential's kind; nil
    /// for an unknown, expired or disabled one.
    public func staffMember(credentialDigest digest: [UInt8], now: Int64) throws -> (member: StaffMember, kind: String)? {
        let s = try database.prepare("""
            SELECT s.id, s.username, s.display_name, s.role, s.district, s.association, s.disabled, s.created_at, c.kind
            FROM staff_credentials c JOIN staff s ON s.id = c.staff_id
            WHERE c.digest = ? AND s.disabled = 0 AND (c.expires_at IS NULL OR c.expires_at > ?)
            """)
        defer { s.reset() }
        try s.bind(all: digest, now)
        guard try s.step() else { return nil }
        return (Self.member(s), s.string(8) ?? "")
    }

    public func removeStaffCredential(digest: [UInt8]) throws {
        let s = try database.prepare("DELETE FROM staff_credentials WHERE digest = ?")
        defer { s.reset() }
        try s.bind(all: digest)
        try s.step()
    }

    /// Replaces (or, with `replace` false, extends) an association's member list; returns its size.
    public func setAssociationMembers(_ association: String, usccs: [String], replace: Bool, now: Int64) throws -> Int {
        try database.transaction {
            if replace {
                let d = try database.prepare("DELETE FROM association_members WHERE association = ?")
                defer { d.reset() }
                try d.bind(all: association)
                try d.step()
            }
            let s = try database.prepare("INSERT INTO association_members (association, uscc, added_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
            defer { s.reset() }
            for uscc in usccs {
                try s.bind(all: association, uscc, now)
                try s.step()
                s.reset()
            }
            let c = try database.prepare("SELECT count(*) FROM association_members WHERE association = ?")
            defer { c.reset() }
            try c.bind(all: association)
            return try c.step() ? c.int(0) : 0
        }
    }

    /// What jurisdiction over one enterprise depends on: its storefronts' regions on every
    /// platform and the associations it is a member of.
    public func jurisdictionFacts(uscc: String) throws -> Jurisdiction.Enterprise {
        var facts = Jurisdiction.Enterprise(uscc: uscc, storefrontRegions: try storefrontRegions(uscc: uscc))
        let a = try database.prepare("SELECT association FROM association_members WHERE uscc = ?")
        defer { a.reset() }
        try a.bind(all: uscc)
        while try a.step() { if let id = a.string(0) { facts.associations.insert(id) } }
        return facts
    }

    /// `jurisdictionFacts(uscc:)` for many enterprises in two statements (a bulk action's rows:
    /// two statements per row were most of a 200-row preview on PostgreSQL).
    public func jurisdictionFacts(usccs: [String]) throws -> [String: Jurisdiction.Enterprise] {
        var facts: [String: Jurisdiction.Enterprise] = [:]
        for uscc in usccs { facts[uscc] = Jurisdiction.Enterprise(uscc: uscc) }
        guard !facts.isEmpty else { return facts }
        let list = JSONValue.array(facts.keys.sorted().map { .object(["u": .string($0)]) }).jsonText
        let r = try database.prepare("""
            SELECT DISTINCT r.uscc, json_extract(r.data, '$.region_code')
            FROM \(dialect.jsonObjects(1)) AS e JOIN records r ON r.uscc = json_extract(e.value, '$.u') AND r.type = 'merchant'
            """)
        defer { r.reset() }
        try r.bind(all: list)
        while try r.step() {
            if let uscc = r.string(0), let region = r.string(1) { facts[uscc]?.storefrontRegions.insert(region) }
        }
        let a = try database.prepare("""
            SELECT m.uscc, m.association
            FROM \(dialect.jsonObjects(1)) AS e JOIN association_members m ON m.uscc = json_extract(e.value, '$.u')
            """)
        defer { a.reset() }
        try a.bind(all: list)
        while try a.step() {
            if let uscc = a.string(0), let id = a.string(1) { facts[uscc]?.associations.insert(id) }
        }
        return facts
    }

    /// The `region_code` of the enterprise's storefronts on every platform.
    func storefrontRegions(uscc: String) throws -> Set<String> {
        let r = try database.prepare("""
            SELECT DISTINCT json_extract(data, '$.region_code') FROM records WHERE uscc = ? AND type = 'merchant'
            """)
        defer { r.reset() }
        try r.bind(all: uscc)
        var regions = Set<String>()
        while try r.step() { if let region = r.string(0) { regions.insert(region) } }
        return regions
    }

    // MARK: The audit trail

    public func appendStaffAudit(_ e: StaffAuditEntry) throws {
        let s = try database.prepare("""
            INSERT INTO staff_audit (at, actor, role, address, action, subject, outcome, status, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        defer { s.reset() }
        try s.bind(all: e.at, e.actor, e.role, e.address, e.action, e.subject, e.outcome, e.status, e.detail)
        try s.step()
    }

    /// The newest entries first, after optional filters; `before` pages back by sequence.
    /// The trail, newest first. An actor or subject filter is written into the SQL only when
    /// given (`onlyUSCC`'s form), so it reads by its index instead of scanning the whole trail.
    public func staffAudit(actor: String?, subject: String?, since: Int64?, before: Int64?, limit: Int) throws -> [StaffAuditEntry] {
        let s = try database.prepare("""
            SELECT seq, at, actor, role, address, action, subject, outcome, status, detail FROM staff_audit
            WHERE \(Self.onlyUSCC("actor", actor, 1)) AND \(Self.onlyUSCC("subject", subject, 2)) AND (?3 IS NULL OR at >= ?3)
              AND (?4 IS NULL OR seq < ?4)
            ORDER BY seq DESC LIMIT ?5
            """)
        defer { s.reset() }
        try s.bind(all: actor, subject, since, before, limit)
        var result: [StaffAuditEntry] = []
        while try s.step() {
            result.append(StaffAuditEntry(seq: s.int64(0), at: s.int64(1), actor: s.string(2) ?? "", role: s.string(3),
                                          address: s.string(4), action: s.string(5) ?? "", subject: s.string(6),
                                          outcome: s.string(7) ?? "", status: s.int(8), detail: s.string(9)))
        }
        return result
    }
}

// An association's 行业自律 prompts reach its members through the platforms.
extension StoreSession {
    /// One `prompt` directive per storefront of each member (of `only`, when given, members among
    /// them), to the platform holding it, and the prompt as sent in `association_prompts`, in one
    /// transaction. Returns the directives and how many members had a storefront.
    public func associationPrompt(_ association: String, only: [String]?, payload: JSONValue, issuedBy: String,
                                  now: Int64) throws -> (directives: [Directive], members: Int) {
        try database.transaction {
            let m = try database.prepare("SELECT uscc FROM association_members WHERE association = ? ORDER BY uscc")
            defer { m.reset() }
            try m.bind(all: association)
            var members: [String] = []
            while try m.step() { if let u = m.string(0) { members.append(u) } }
            if let only { members = members.filter(Set(only).contains) }
            var directives: [Directive] = [], reached = 0
            for uscc in members {
                let shops = try storefronts(uscc: uscc)
                for shop in shops {
                    directives.append(try insertDirective(NewDirective(
                        platformID: shop.platform, type: "prompt", platformMerchantID: shop.key, uscc: uscc,
                        payload: payload), now: now))
                }
                if !shops.isEmpty { reached += 1 }
            }
            let sent = try database.prepare("""
                INSERT INTO association_prompts (association, title, text, issuer_name, issued_by, members, storefronts, issued_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                """)
            defer { sent.reset() }
            try sent.bind(all: association, payload["title"]?.stringValue ?? "", payload["text"]?.stringValue ?? "",
                          payload["issuer"]?["name"]?.stringValue ?? association, issuedBy, reached, directives.count, now)
            try sent.step()
            return (directives, reached)
        }
    }
}
