import Crypto
import SandboxCore

/// The name of an Ed25519 rule pack key: lowercase hex of the first 8 bytes of SHA-256 of the
/// 32-byte raw public key (docs/policy.md §2.6). Derived, never chosen, so a key file cannot name
/// a key by another key's id: `TrustedKeys` recomputes it and refuses a mismatch.
public struct PackKeyID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// 16 lowercase hex digits.
    public let hex: String

    public init(publicKey: Curve25519.Signing.PublicKey) {
        self.init(rawPublicKey: Array(publicKey.rawRepresentation))
    }

    public init(rawPublicKey: [UInt8]) {
        hex = Hex.encode(SHA256.hash(data: rawPublicKey).prefix(8))
    }

    /// A key id as written in a file or a request; nil unless exactly 16 lowercase hex digits.
    public init?(hex text: some StringProtocol) {
        guard text.utf8.count == 16, Hex.decode(text) != nil else { return nil }
        hex = String(text)
    }

    public var description: String { hex }
    public static func < (a: PackKeyID, b: PackKeyID) -> Bool { a.hex < b.hex }
}
