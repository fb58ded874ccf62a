import Foundation
import Logging
import SandboxCore
import SandboxPolicy
import SandboxPack

/// Keeps the rule pack the agent decides by (docs/policy.md §2.5–§2.6): verifies the Ed25519
/// signature over the exact bytes with a trusted key, compiles, checks the pack id and that the
/// serial only goes up, stores the bytes in the state database (backed up with it) and mirrors
/// them to STATE_DIR/rulepack/active.toml for operators. The last good pack stays active when a
/// newer one is refused.
final class RulePackStore {
    struct Active {
        let pack: RulePack
        let sha256: String
        let keyID: String
        let source: String
    }

    /// Why a pack was not activated; the message says what to do.
    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    let state: AgentState
    let policy: AgentConfig.PolicyConfig
    let stateDir: String
    let logger: Logger

    init(state: AgentState, policy: AgentConfig.PolicyConfig, stateDir: String, logger: Logger) {
        self.state = state; self.policy = policy; self.stateDir = stateDir; self.logger = logger
    }

    /// Start-up order (§2.6): the newest stored pack that is active (or pending and due) and still
    /// verifies and compiles; else `[policy] pack_file`; else none.
    func activeAtStart(now: Int64) -> Active? {
        let today = PolicyCalendar.day(of: now)
        do {
            let s = try state.database.prepare("""
                SELECT content, signature, source, state FROM rulepacks
                WHERE pack_id = ? AND (state = 'active' OR (state = 'pending' AND effective_day <= ?))
                ORDER BY serial DESC
                """)
            defer { s.reset() }
            try s.bind(1, policy.packID)
            try s.bind(2, today)
            var candidates: [([UInt8], String, String, String)] = []
            while try s.step() { candidates.append((s.blob(0), s.string(1) ?? "", s.string(2) ?? "", s.string(3) ?? "")) }
            s.reset()
            for (bytes, signature, source, stored) in candidates {
                do {
                    let active = try verify(bytes, signature: signature, name: "stored pack", source: source)
                    if stored == "pending" { try activate(active, bytes: bytes, signature: signature, now: now) }
                    return active
                } catch {
                    logger.error("stored rule pack no longer verifies or compiles; trying the next", metadata: ["error": "\(error)"])
                }
            }
        } catch {
            logger.error("cannot read the stored rule packs", metadata: ["error": "\(error)"])
        }
        if let file = policy.packFile {
            do {
                return try offer(file: file, now: now)
            } catch {
                logger.error("rule pack file refused", metadata: ["file": "\(file)", "error": "\(error)"])
            }
        }
        return nil
    }

    /// Reads `file` and `file.sig` and offers them.
    func offer(file: String, now: Int64) throws -> Active? {
        guard let bytes = FileManager.default.contents(atPath: file) else {
            throw Refusal(description: "\(file): cannot read the pack")
        }
        guard let signature = try? String(contentsOfFile: file + ".sig", encoding: .utf8) else {
            throw Refusal(description: "\(file).sig: cannot read the signature; sign the pack with `sandbox-regulator rulepack sign`")
        }
        return try offer(Array(bytes), signature: signature, name: (file as NSString).lastPathComponent, source: "file", now: now)
    }

    /// Verifies, compiles and stores a pack; returns it when it is active now (nil: stored as
    /// pending until its effective day, or the same pack as the active one).
    func offer(_ bytes: [UInt8], signature: String, name: String, source: String, now: Int64) throws -> Active? {
        let candidate = try verify(bytes, signature: signature, name: name, source: source)
        let header = candidate.pack.header
        let current = try activeSerial()
        if let current {
            if header.serial < current.serial || (header.serial == current.serial && candidate.sha256 != current.sha256) {
                throw Refusal(description: "\(name): serial \(header.serial) is not above the active pack's serial \(current.serial) "
                              + "(\(current.version)); not activated")
            }
            if header.serial == current.serial { return nil }
        }
        let today = PolicyCalendar.day(of: now)
        if header.effectiveFrom.dayNumber > today {
            try store(candidate, bytes: bytes, signature: signature, state: "pending", now: now)
            logger.notice("rule pack stored; it takes effect on its effective day", metadata: [
                "pack": "\(header.packVersion)", "serial": "\(header.serial)", "effective_from": "\(header.effectiveFrom)"])
            return nil
        }
        try activate(candidate, bytes: bytes, signature: signature, now: now)
        return candidate
    }

    private func verify(_ bytes: [UInt8], signature: String, name: String, source: String) throws -> Active {
        let keys: TrustedKeys
        do { keys = try TrustedKeys.load(path: policy.trustedKeysFile) } catch {
            throw Refusal(description: "\(name): \(error)")
        }
        let keyID: PackKeyID
        do {
            keyID = try keys.verify(bytes: bytes, signature: try PackSignature.parse(signature))
        } catch {
            throw Refusal(description: "\(name): \(error)")
        }
        let pack: RulePack
        do { pack = try PackTOML.compile(bytes, fileName: name) } catch { throw Refusal(description: error.description) }
        guard pack.header.id == policy.packID else {
            throw Refusal(description: "\(name): pack id \"\(pack.header.id)\" is not this platform's [policy] pack_id \"\(policy.packID)\"")
        }
        let digest = PackEnvelope.digest(bytes)
        return Active(pack: pack, sha256: digest, keyID: keyID.hex, source: source)
    }

    private func activeSerial() throws -> (serial: Int, sha256: String, version: String)? {
        let s = try state.database.prepare(
            "SELECT serial, sha256, version FROM rulepacks WHERE pack_id = ? AND state = 'active' ORDER BY serial DESC LIMIT 1")
        defer { s.reset() }
        try s.bind(1, policy.packID)
        guard try s.step() else { return nil }
        return (s.int(0), s.string(1) ?? "", "\(policy.packID)-\(s.string(2) ?? "")")
    }

    private func store(_ a: Active, bytes: [UInt8], signature: String, state rowState: String, now: Int64) throws {
        let s = try state.database.prepare("""
            INSERT INTO rulepacks (pack_id, serial, version, sha256, content, signature, source, effective_day, state, received_at, activated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (pack_id, serial) DO UPDATE SET state = excluded.state, activated_at = excluded.activated_at
            """)
        defer { s.reset() }
        let h = a.pack.header
        try s.bind(1, h.id)
        try s.bind(2, h.serial)
        try s.bind(3, h.version)
        try s.bind(4, a.sha256)
        try s.bind(5, bytes)
        try s.bind(6, signature)
        try s.bind(7, a.source)
        try s.bind(8, h.effectiveFrom.dayNumber)
        try s.bind(9, rowState)
        try s.bind(10, now)
        try s.bind(11, rowState == "active" ? now : nil)
        try s.step()
    }

    private func activate(_ a: Active, bytes: [UInt8], signature: String, now: Int64) throws {
        try state.transaction {
            let retire = try state.database.prepare("UPDATE rulepacks SET state = 'retired' WHERE pack_id = ? AND state = 'active' AND serial != ?")
            defer { retire.reset() }
            try retire.bind(1, a.pack.header.id)
            try retire.bind(2, a.pack.header.serial)
            try retire.step()
            try store(a, bytes: bytes, signature: signature, state: "active", now: now)
            try state.audit(AuditEvent(at: now, actor: .regulator, kind: "rulepack_activated", merchantID: nil, uscc: nil,
                                       subject: a.pack.packVersion,
                                       detail: "\(a.pack.packVersion) serial \(a.pack.header.serial) from \(a.source), key \(a.keyID), sha256 \(a.sha256)",
                                       record: [], rulePack: a.pack.packVersion))
        }
        mirror(bytes: bytes, signature: signature)
        logger.notice("rule pack active", metadata: [
            "pack": "\(a.pack.packVersion)", "serial": "\(a.pack.header.serial)", "source": "\(a.source)", "key": "\(a.keyID)"])
    }

    /// STATE_DIR/rulepack/active.toml(.sig), written whole (tmp → fsync → rename).
    private func mirror(bytes: [UInt8], signature: String) {
        let folder = stateDir + "/rulepack"
        do {
            try FileSystem.createDirectories(folder)
            for (name, content) in [("active.toml", bytes), ("active.toml.sig", Array(signature.utf8))] {
                let f = try OutboxFile(folder: folder, temporaryName: name)
                try f.append(bytes: content)
                try f.commit(as: name)
            }
        } catch {
            logger.warning("cannot mirror the active rule pack to \(folder)", metadata: ["error": "\(error)"])
        }
    }
}
