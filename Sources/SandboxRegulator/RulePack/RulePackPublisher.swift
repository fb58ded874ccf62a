import Foundation
import SandboxPack

/// Publishing a rule pack, the same checks whichever way it comes (POST /v1/admin/rulepack or
/// `sandbox-regulator rulepack publish`): the signature verifies with a key of `--rulepack-keys`,
/// the pack validates, and its serial is above the current one for its pack id.
///
/// Refusals are `APIError`s: the HTTP side answers them as they are, the command line prints the
/// message. The signature is checked first, so nothing of an unsigned upload is even parsed.
public struct RulePackPublisher: Sendable {
    /// nil: the server was started without `--rulepack-keys`, and publishing is refused.
    public let keys: TrustedKeys?
    public let store: RegulatorStore

    public init(keys: TrustedKeys?, store: RegulatorStore) { self.keys = keys; self.store = store }

    /// What happened: `created` is false for a repeat of the current pack (same serial, same bytes).
    public struct Result: Sendable, Equatable {
        public var created: Bool
        public var envelope: PackEnvelope
    }

    public func publish(content: [UInt8], signature: PackSignature, by publisher: String,
                        file: String = "rule pack", now: Int64? = nil) async throws(APIError) -> Result {
        guard let keys else {
            throw APIError(.serviceUnavailable, "publishing rule packs is off: this regulator was started without "
                           + "--rulepack-keys; restart `sandbox-regulator serve` with --rulepack-keys FILE "
                           + "(the public keys packs are signed with, as `rulepack keygen` writes them to KEY.pub)")
        }
        do { _ = try keys.verify(bytes: content, signature: signature) } catch {
            throw APIError(.unprocessableContent, "\(file): \(error); sign the exact bytes with a key in --rulepack-keys "
                           + "(`sandbox-regulator rulepack sign`), or add the signer's KEY.pub line to that file and restart")
        }
        let header: PackHeader
        do { header = try RulePackValidation.validate(content, file: file) } catch {
            throw APIError(.badRequest, error.description)
        }
        let publication = RulePackPublication(header: header, content: content, signature: signature, publishedBy: publisher)
        let outcome: RulePackStoreOutcome
        do { outcome = try await store.write { try $0.storeRulePack(publication, now: now ?? Timestamp.now()) } } catch {
            throw APIError(.internalServerError, "the rule pack could not be stored: \(error)")
        }
        switch outcome {
        case .published(let envelope): return Result(created: true, envelope: envelope)
        case .unchanged(let envelope): return Result(created: false, envelope: envelope)
        case .serialNotAbove(let current, let version):
            let active = "\(header.id)-\(version)"
            if current == header.serial {
                throw APIError(.conflict, "\(file): serial \(header.serial) of pack \(header.id) is already published (\(active)) "
                               + "with other content; a serial names one content for good: raise [pack] serial, sign again and publish")
            }
            throw APIError(.conflict, "\(file): serial \(header.serial) is not above the current serial \(current) of pack "
                           + "\(header.id) (\(active)); raise [pack] serial above \(current), sign again and publish "
                           + "(a rollback is a new serial with the old content)")
        }
    }
}
