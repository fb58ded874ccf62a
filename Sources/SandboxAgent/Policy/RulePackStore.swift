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
            let candidates = try state.rulePacksToTakeUp(packID: policy.packID, effectiveBy: today)
            for stored in candidates {
                do {
                    let active = try verify(stored.content, signature: stored.signature, name: "stored pack", source: stored.source)
                    if stored.state == "pending" { try activate(active, bytes: stored.content, signature: stored.signature, now: now) }
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
        try state.activeRulePackSerial(packID: policy.packID).map { ($0.serial, $0.sha256, "\(policy.packID)-\($0.version)") }
    }

    private func store(_ a: Active, bytes: [UInt8], signature: String, state rowState: String, now: Int64) throws {
        try state.storeRulePack(a.pack.header, sha256: a.sha256, content: bytes, signature: signature, source: a.source,
                                state: rowState, now: now)
    }

    private func activate(_ a: Active, bytes: [UInt8], signature: String, now: Int64) throws {
        try state.transaction {
            try state.retireRulePacks(packID: a.pack.header.id, except: a.pack.header.serial)
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
