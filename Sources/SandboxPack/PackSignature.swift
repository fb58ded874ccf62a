import Foundation

/// A detached Ed25519 signature over a pack's exact bytes, and the `PACK.sig` file that carries
/// it: one line `ed25519 KEY_ID BASE64(64-byte signature)` (docs/policy.md §2.6). The algorithm
/// is written out so that a later one can be told apart instead of being misread.
public struct PackSignature: Sendable, Equatable {
    public static let algorithm = "ed25519"
    /// The key that made it (as the signer says; verification decides).
    public let keyID: PackKeyID
    /// The 64 signature bytes.
    public let bytes: [UInt8]

    public init(keyID: PackKeyID, bytes: [UInt8]) throws(PackTrustError) {
        guard bytes.count == 64 else {
            throw .signature("an Ed25519 signature is 64 bytes, got \(bytes.count); sign again with `sandbox-regulator rulepack sign`")
        }
        self.keyID = keyID; self.bytes = bytes
    }

    /// From the key id and base64 signature as sent to POST /v1/admin/rulepack or found in an envelope.
    public init(keyID text: String, base64: String) throws(PackTrustError) {
        guard let keyID = PackKeyID(hex: text) else {
            throw .signature("key id `\(text)` must be 16 lowercase hex digits (the id `rulepack keygen` printed)")
        }
        guard let bytes = Data(base64Encoded: base64) else {
            throw .signature("the signature is not valid base64")
        }
        try self.init(keyID: keyID, bytes: Array(bytes))
    }

    /// Reads the contents of a `PACK.sig` file (one line; a final newline is allowed).
    public static func parse(_ text: String) throws(PackTrustError) -> PackSignature {
        var line = Substring(text)
        // One final line end (`\n`, or `\r\n`, which Swift counts as one character) is allowed.
        if let last = line.last, last.isNewline { line = line.dropLast() }
        guard !line.contains(where: \.isNewline) else {
            throw .signature("a signature file holds one line `ed25519 KEY_ID BASE64`; this one has several")
        }
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 3 else {
            throw .signature("expected one line `ed25519 KEY_ID BASE64`, got \(fields.count) field(s)")
        }
        guard fields[0] == Self.algorithm else {
            throw .signature("algorithm `\(fields[0])` is not supported; rule packs are signed with ed25519")
        }
        return try PackSignature(keyID: String(fields[1]), base64: String(fields[2]))
    }

    public var base64: String { Data(bytes).base64EncodedString() }

    /// The `PACK.sig` line, with its newline.
    public func render() -> String { "\(Self.algorithm) \(keyID.hex) \(base64)\n" }
}
