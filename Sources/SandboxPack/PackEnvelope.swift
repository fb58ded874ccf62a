import Crypto
import Foundation
import SandboxCore

/// The JSON answer of GET /v1/rulepack (docs/policy.md §2.6): the header fields for people and
/// caches, and the pack as base64 of its exact bytes, so that the bytes that were signed are the
/// bytes that arrive whatever a JSON library does with strings.
public struct PackEnvelope: Sendable, Equatable, Codable {
    public var packID: String
    public var version: String
    public var serial: Int
    public var format: Int
    /// `YYYY-MM-DD`.
    public var effectiveFrom: String
    /// Lowercase hex SHA-256 of the pack bytes.
    public var sha256: String
    public var keyID: String
    /// Base64 of the 64-byte Ed25519 signature.
    public var signature: String
    /// Base64 of the exact pack bytes.
    public var content: String

    enum CodingKeys: String, CodingKey {
        case packID = "pack_id", version, serial, format, effectiveFrom = "effective_from", sha256
        case keyID = "key_id", signature, content
    }

    /// As stored (the regulator keeps the fields it serves).
    public init(packID: String, version: String, serial: Int, format: Int, effectiveFrom: String,
                sha256: String, keyID: String, signature: String, content: String) {
        self.packID = packID; self.version = version; self.serial = serial; self.format = format
        self.effectiveFrom = effectiveFrom; self.sha256 = sha256; self.keyID = keyID
        self.signature = signature; self.content = content
    }

    public init(header: PackHeader, content bytes: [UInt8], signature: PackSignature) {
        packID = header.id; version = header.version; serial = header.serial; format = header.format
        effectiveFrom = header.effectiveFrom.description
        sha256 = Self.digest(bytes)
        keyID = signature.keyID.hex
        self.signature = signature.base64
        content = Data(bytes).base64EncodedString()
    }

    /// Lowercase hex SHA-256.
    public static func digest(_ bytes: some DataProtocol) -> String { Hex.encode(SHA256.hash(data: bytes)) }

    /// The JSON body: keys sorted and no whitespace, so the same envelope is always the same
    /// bytes and its ETag (a digest of the body) only changes when the pack or signature does.
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Only strings and integers: encoding cannot fail.
        return Array((try? encoder.encode(self)) ?? Data())
    }

    /// Reads an envelope and checks that `sha256` is the digest of `content`.
    public static func decode(_ bytes: some DataProtocol) throws(PackTrustError) -> PackEnvelope {
        let envelope: PackEnvelope
        do { envelope = try JSONDecoder().decode(PackEnvelope.self, from: Data(bytes)) } catch {
            throw .envelope("is not the JSON of GET /v1/rulepack (pack_id, version, serial, format, effective_from, "
                            + "sha256, key_id, signature, content): \(error)")
        }
        let content = try envelope.contentBytes()
        let actual = digest(content)
        guard actual == envelope.sha256 else {
            throw .envelope("sha256 \(envelope.sha256) does not match the content, whose digest is \(actual); the pack was damaged on the way")
        }
        return envelope
    }

    /// The pack bytes.
    public func contentBytes() throws(PackTrustError) -> [UInt8] {
        guard let data = Data(base64Encoded: content) else { throw .envelope("content is not valid base64") }
        return Array(data)
    }

    /// The detached signature it carries.
    public func packSignature() throws(PackTrustError) -> PackSignature {
        try PackSignature(keyID: keyID, base64: signature)
    }
}
