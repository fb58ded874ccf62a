import Crypto
import Foundation

/// The Ed25519 public keys a pack may be signed with: one per line,
/// `KEY_ID BASE64(32-byte raw public key) optional comment`; `#` lines and blank lines are
/// ignored (docs/policy.md §2.6). Several keys allow rotation.
///
/// Every key id is recomputed from its key and the whole file is refused on a mismatch: a line
/// whose id was edited by hand would otherwise make refusals name the wrong key.
public struct TrustedKeys: Sendable {
    /// The keys in file order, as 32 raw bytes (swift-crypto's key type is not `Sendable` here).
    public let keys: [(id: PackKeyID, rawKey: [UInt8])]

    public var ids: [PackKeyID] { keys.map(\.id) }

    public init(_ keys: [Curve25519.Signing.PublicKey]) {
        self.keys = keys.map { (PackKeyID(publicKey: $0), Array($0.rawRepresentation)) }
    }

    public static func load(path: String) throws(PackTrustError) -> TrustedKeys {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .trustedKeys(file: path, line: 0, problem: "cannot be read; check the path and its permissions")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    public static func parse(_ text: String, file: String) throws(PackTrustError) -> TrustedKeys {
        func fail(_ line: Int, _ problem: String) -> PackTrustError { .trustedKeys(file: file, line: line, problem: problem) }
        var keys: [(id: PackKeyID, rawKey: [UInt8])] = []
        // Split on any line end: a file saved on Windows has `\r\n`, which Swift counts as one character.
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let number = index + 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).prefix(2)
            guard fields.count == 2 else {
                throw fail(number, "expected `KEY_ID BASE64_PUBLIC_KEY [comment]` (the line `rulepack keygen` wrote to KEY.pub)")
            }
            guard let written = PackKeyID(hex: fields[fields.startIndex]) else {
                throw fail(number, "key id `\(fields[fields.startIndex])` must be 16 lowercase hex digits")
            }
            let encoded = fields[fields.startIndex + 1]
            guard let raw = Data(base64Encoded: String(encoded)) else {
                throw fail(number, "the public key is not valid base64")
            }
            guard raw.count == 32, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
                throw fail(number, "an Ed25519 public key is 32 bytes, got \(raw.count)")
            }
            let actual = PackKeyID(publicKey: key)
            guard actual == written else {
                throw fail(number, "key id \(written.hex) does not match its key, whose id is \(actual.hex); "
                           + "copy the line from the KEY.pub that `rulepack keygen` wrote")
            }
            guard !keys.contains(where: { $0.id == actual }) else {
                throw fail(number, "key \(actual.hex) is listed twice")
            }
            keys.append((actual, Array(raw)))
        }
        guard !keys.isEmpty else {
            throw fail(0, "holds no key; add the line from the KEY.pub that `rulepack keygen` wrote")
        }
        return TrustedKeys(keys: keys)
    }

    private init(keys: [(id: PackKeyID, rawKey: [UInt8])]) { self.keys = keys }

    /// The id of the trusted key under which `signature` verifies `bytes`.
    ///
    /// Every key is tried, not only the one the signature names: the key id is a label the
    /// signer wrote, and the signature alone decides. The refusal names both sides so an operator
    /// sees at once whether a key is missing from the file or the pack was changed after signing.
    public func verify(bytes: some DataProtocol, signature: PackSignature) throws(PackTrustError) -> PackKeyID {
        let ordered = keys.filter { $0.id == signature.keyID } + keys.filter { $0.id != signature.keyID }
        for entry in ordered {
            // The raw bytes were checked to be a key when the file was read.
            guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: entry.rawKey) else { continue }
            if key.isValidSignature(signature.bytes, for: bytes) { return entry.id }
        }
        throw .notVerified(signedBy: signature.keyID, trusted: ids)
    }

    /// The trusted-keys line for `key` (what `KEY.pub` holds).
    public static func line(for key: Curve25519.Signing.PublicKey, comment: String? = nil) -> String {
        let base = "\(PackKeyID(publicKey: key).hex) \(key.rawRepresentation.base64EncodedString())"
        return (comment.map { "\(base) \($0)" } ?? base) + "\n"
    }
}
