import Crypto
import Foundation

/// The offline signing side: a private Ed25519 key, kept in a file of its own (base64 of the 32
/// raw bytes, mode 0600), that signs a pack's exact bytes. It never goes to the server; the
/// server holds only the public keys (docs/policy.md §2.6).
public struct PackSigner: Sendable {
    /// The 32 raw private key bytes (swift-crypto's key type is not `Sendable` here).
    let rawKey: [UInt8]

    public init(privateKey: Curve25519.Signing.PrivateKey = .init()) { rawKey = Array(privateKey.rawRepresentation) }

    public var privateKey: Curve25519.Signing.PrivateKey {
        // Checked to be a key when this signer was made.
        try! Curve25519.Signing.PrivateKey(rawRepresentation: rawKey)
    }

    public var publicKey: Curve25519.Signing.PublicKey { privateKey.publicKey }
    public var keyID: PackKeyID { PackKeyID(publicKey: publicKey) }

    /// A new key written to `path` (mode 0600) and its trusted-keys line to `path.pub`.
    /// Refuses to overwrite: losing a key that agents trust means a rotation.
    @discardableResult
    public static func keygen(out path: String, comment: String? = nil) throws(PackTrustError) -> PackSigner {
        let fm = FileManager.default
        for p in [path, path + ".pub"] where fm.fileExists(atPath: p) {
            throw .privateKey(file: p, problem: "already exists; choose another --out or move the old key away first")
        }
        let signer = PackSigner()
        let secret = Data((signer.privateKey.rawRepresentation.base64EncodedString() + "\n").utf8)
        // Created with 0600 from the start, so the key is never readable by others, not even briefly.
        guard fm.createFile(atPath: path, contents: secret, attributes: [.posixPermissions: 0o600]) else {
            throw .privateKey(file: path, problem: "cannot be written; check the folder exists and is writable")
        }
        let line = TrustedKeys.line(for: signer.publicKey, comment: comment)
        guard fm.createFile(atPath: path + ".pub", contents: Data(line.utf8), attributes: [.posixPermissions: 0o644]) else {
            throw .privateKey(file: path + ".pub", problem: "cannot be written; check the folder is writable")
        }
        return signer
    }

    /// The key in `path` (as `keygen` wrote it).
    public static func load(path: String) throws(PackTrustError) -> PackSigner {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .privateKey(file: path, problem: "cannot be read; check the path given to --key and its permissions")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let raw = Data(base64Encoded: text), raw.count == 32,
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
            throw .privateKey(file: path, problem: "is not a rule pack private key (base64 of 32 bytes, as `rulepack keygen` writes); "
                              + "is this the .pub file?")
        }
        return PackSigner(privateKey: key)
    }

    /// The detached signature over exactly `bytes`.
    public func sign(_ bytes: some DataProtocol) throws -> PackSignature {
        let signature = try privateKey.signature(for: bytes)
        return try PackSignature(keyID: keyID, bytes: Array(signature))
    }
}
