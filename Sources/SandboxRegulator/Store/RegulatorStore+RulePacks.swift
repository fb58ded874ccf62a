import Foundation
import SandboxPack
import SandboxStorage

extension StoreSession {
    /// Stores `publication` unless its serial is not above the current one for its pack id.
    ///
    /// The serial check and the insert are one transaction in the store's actor, so two
    /// publications racing cannot both pass the check. The same serial with the same bytes is a
    /// no-op rather than a refusal, so a publish that timed out can simply be repeated.
    public func storeRulePack(_ publication: RulePackPublication, now: Int64) throws -> RulePackStoreOutcome {
        let header = publication.header
        return try database.transaction {
            let current = try database.prepare("""
                SELECT serial, version, sha256 FROM rulepacks WHERE pack_id = ? ORDER BY serial DESC LIMIT 1
                """)
            defer { current.reset() }
            try current.bind(1, header.id)
            if try current.step() {
                let serial = current.int(0), version = current.string(1) ?? "", digest = current.string(2) ?? ""
                let envelope = publication.envelope
                if serial == header.serial && digest == envelope.sha256 {
                    // Same bytes; the signature may differ (another key): the stored one stays.
                    return .unchanged(try latestRulePack(packID: header.id) ?? envelope)
                }
                if header.serial <= serial { return .serialNotAbove(current: serial, currentVersion: version) }
            }
            let envelope = publication.envelope
            let s = try database.prepare("""
                INSERT INTO rulepacks (pack_id, serial, version, format, effective_from, sha256, key_id, signature,
                                       content, published_at, published_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            defer { s.reset() }
            try s.bind(1, header.id)
            try s.bind(2, header.serial)
            try s.bind(3, header.version)
            try s.bind(4, header.format)
            try s.bind(5, envelope.effectiveFrom)
            try s.bind(6, envelope.sha256)
            try s.bind(7, envelope.keyID)
            try s.bind(8, envelope.signature)
            try s.bind(9, publication.content)
            try s.bind(10, now)
            try s.bind(11, publication.publishedBy)
            try s.step()
            // Its admitted classes and local divisions may differ: every kept decision again.
            // (`WHERE TRUE`: SQLite reads an ON CONFLICT after a bare FROM as a join's.)
            try database.execute("INSERT INTO roster_dirty (uscc) SELECT uscc FROM regulator_roster WHERE TRUE ON CONFLICT DO NOTHING")
            return .published(envelope)
        }
    }

    /// The envelope of the newest publication (of `packID`, or of any pack), or nil.
    public func latestRulePack(packID: String? = nil) throws -> PackEnvelope? {
        let s = try database.prepare(packID == nil
            ? "SELECT \(Self.rulePackColumns) FROM rulepacks ORDER BY id DESC LIMIT 1"
            : "SELECT \(Self.rulePackColumns) FROM rulepacks WHERE pack_id = ? ORDER BY serial DESC LIMIT 1")
        defer { s.reset() }
        if let packID { try s.bind(1, packID) }
        guard try s.step() else { return nil }
        return PackEnvelope(packID: s.string(0) ?? "", version: s.string(2) ?? "", serial: s.int(1), format: s.int(3),
                            effectiveFrom: s.string(4) ?? "", sha256: s.string(5) ?? "", keyID: s.string(6) ?? "",
                            signature: s.string(7) ?? "", content: Data(s.blob(8)).base64EncodedString())
    }

    /// How many publications are stored (all are kept).
    func rulePackCount() throws -> Int {
        Int(try database.int64("SELECT count(*) FROM rulepacks") ?? 0)
    }

    static let rulePackColumns = "pack_id, serial, version, format, effective_from, sha256, key_id, signature, content"
}
