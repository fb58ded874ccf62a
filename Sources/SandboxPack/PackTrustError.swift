import SandboxCore
import SandboxPolicy

/// Why a pack, its signature, a key file or an envelope is refused. The description is the
/// message an operator reads: what is wrong, where, and what to do about it.
public enum PackTrustError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The detached signature (`PACK.sig`, or the signature fields of a request) is malformed.
    case signature(String)
    /// The trusted keys file cannot be used; `line` is 1-based, 0 when the whole file is meant.
    case trustedKeys(file: String, line: Int, problem: String)
    /// The signature is well formed but no trusted key verifies it.
    case notVerified(signedBy: PackKeyID, trusted: [PackKeyID])
    /// A private key file cannot be read or written.
    case privateKey(file: String, problem: String)
    /// The pack itself (bytes, TOML syntax, the `[pack]` table).
    case pack(file: String, problem: String)
    /// The JSON envelope of GET /v1/rulepack.
    case envelope(String)
    /// The pack does not compile: every problem with its line.
    case invalid(PackErrors)

    public var description: String {
        switch self {
        case .signature(let problem):
            return "signature: \(problem)"
        case .trustedKeys(let file, let line, let problem):
            return line > 0 ? "\(file) line \(line): \(problem)" : "\(file): \(problem)"
        case .notVerified(let signedBy, let trusted):
            let list = trusted.isEmpty ? "none" : trusted.map(\.hex).joined(separator: ", ")
            let base = "signature does not verify with any trusted key (signed by key \(signedBy.hex), trusted: \(list))"
            // The signer's key is trusted: then the bytes are not the ones that were signed.
            return trusted.contains(signedBy) ? base + "; the bytes changed after signing, or the signature is another file's" : base
        case .privateKey(let file, let problem):
            return "\(file): \(problem)"
        case .pack(let file, let problem):
            return "\(file): \(problem)"
        case .envelope(let problem):
            return "rule pack envelope: \(problem)"
        case .invalid(let errors):
            return errors.description
        }
    }
}
