import SandboxCore
import SandboxPolicy
import SandboxStorage

/// A pack as the state keeps it (`rulepacks`): its exact bytes and signature, verified again
/// whenever it is taken up (docs/policy.md §2.6).
struct StoredRulePack {
    let content: [UInt8]
    let signature: String
    let source: String
    /// `active`, `pending` (until its effective day) or `retired`.
    let state: String
}

/// One stored pack as `sandbox-agent policy show` lists it.
struct RulePackListing {
    let packID: String, version: String, serial: Int, state: String, source: String, sha256: String
    let receivedAt: Int64, activatedAt: Int64?, effectiveDay: Int
}

// The rule packs' table: what `RulePackStore` verifies, keeps and activates, and what operators
// are shown. Every statement on `rulepacks` is here.
extension AgentState {
    /// The packs of `packID` to start from, newest first: the active one and those pending whose
    /// effective day is `day` or earlier.
    func rulePacksToTakeUp(packID: String, effectiveBy day: Int) throws -> [StoredRulePack] {
        let s = try database.prepare("""
            SELECT content, signature, source, state FROM rulepacks
            WHERE pack_id = ? AND (state = 'active' OR (state = 'pending' AND effective_day <= ?))
            ORDER BY serial DESC
            """)
        defer { s.reset() }
        try s.bind(all: packID, day)
        var out: [StoredRulePack] = []
        while try s.step() {
            out.append(StoredRulePack(content: s.blob(0), signature: s.string(1) ?? "", source: s.string(2) ?? "", state: s.string(3) ?? ""))
        }
        return out
    }

    /// The active pack of `packID`, if any.
    func activeRulePack(packID: String) throws -> StoredRulePack? {
        try rulePacksToTakeUp(packID: packID, effectiveBy: Int.min).first { $0.state == "active" }
    }

    /// The active pack's serial, digest and version (without the pack id).
    func activeRulePackSerial(packID: String) throws -> (serial: Int, sha256: String, version: String)? {
        let s = try database.prepare(
            "SELECT serial, sha256, version FROM rulepacks WHERE pack_id = ? AND state = 'active' ORDER BY serial DESC LIMIT 1")
        defer { s.reset() }
        try s.bind(all: packID)
        guard try s.step() else { return nil }
        return (s.int(0), s.string(1) ?? "", s.string(2) ?? "")
    }

    /// How many packs wait for an effective day that has come (`day` or earlier).
    func pendingRulePacks(effectiveBy day: Int) throws -> Int {
        let s = try database.prepare("SELECT count(*) FROM rulepacks WHERE state = 'pending' AND effective_day <= ?")
        defer { s.reset() }
        try s.bind(all: day)
        return try s.step() ? s.int(0) : 0
    }

    /// Stores a verified pack as `rowState` (a pack stored again changes only its state and time
    /// of activation).
    func storeRulePack(_ header: PackIdentity, sha256: String, content: [UInt8], signature: String, source: String,
                       state rowState: String, now: Int64) throws {
        let s = try database.prepare("""
            INSERT INTO rulepacks (pack_id, serial, version, sha256, content, signature, source, effective_day, state, received_at, activated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (pack_id, serial) DO UPDATE SET state = excluded.state, activated_at = excluded.activated_at
            """)
        defer { s.reset() }
        try s.bind(all: header.id, header.serial, header.version, sha256, content, signature, source, header.effectiveFrom.dayNumber,
                   rowState, now, rowState == "active" ? now : nil)
        try s.step()
    }

    /// Retires every active pack of `packID` but `serial` (in the transaction that activates it).
    func retireRulePacks(packID: String, except serial: Int) throws {
        let s = try database.prepare("UPDATE rulepacks SET state = 'retired' WHERE pack_id = ? AND state = 'active' AND serial != ?")
        defer { s.reset() }
        try s.bind(all: packID, serial)
        try s.step()
    }

    /// Every stored pack, by pack id and newest serial first.
    func rulePackListing() throws -> [RulePackListing] {
        let s = try database.prepareUncached("""
            SELECT pack_id, version, serial, state, source, sha256, received_at, activated_at, effective_day FROM rulepacks
            ORDER BY pack_id, serial DESC
            """)
        var out: [RulePackListing] = []
        while try s.step() {
            out.append(RulePackListing(packID: s.string(0) ?? "", version: s.string(1) ?? "", serial: s.int(2), state: s.string(3) ?? "",
                                       source: s.string(4) ?? "", sha256: s.string(5) ?? "", receivedAt: s.int64(6),
                                       activatedAt: s.int64OrNil(7), effectiveDay: s.int(8)))
        }
        return out
    }
}
