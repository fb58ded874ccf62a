import Crypto
import SandboxCore
import SandboxPack
import _CryptoExtras

/// Staff passwords, stored as a slow, salted hash (scrypt, RFC 7914) and never as themselves.
///
/// scrypt rather than PBKDF2: it costs memory as well as time, which is what makes a stolen
/// database expensive to attack on GPUs. N = 2^15, r = 8, p = 1 (32 MiB, tens of milliseconds a
/// check on this machine): the parameters are stored with every hash, so raising them later needs
/// no migration — old hashes still verify, and a login can rehash.
public enum PasswordHash {
    public struct Parameters: Sendable, Equatable {
        public var log2N: Int, r: Int, p: Int
        public static let standard = Parameters(log2N: 15, r: 8, p: 1)
        /// The costs a stored hash may have, and `serve --staff-password-log2n` may set.
        public static let acceptedLog2N = 10...20
        public init(log2N: Int, r: Int, p: Int) { self.log2N = log2N; self.r = r; self.p = p }
    }

    /// A password must be at least this long; there is no composition rule (NIST SP 800-63B).
    public static let minimumLength = 12

    /// `scrypt$LOG2N$R$P$SALT$HASH` (hex), for the store.
    public static func make(_ password: String, parameters: Parameters = .standard) throws -> String {
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255) }
        let hash = try derive(password, salt: salt, parameters)
        return "scrypt$\(parameters.log2N)$\(parameters.r)$\(parameters.p)$\(Hex.encode(salt))$\(Hex.encode(hash))"
    }

    /// Whether `password` matches `stored`; false (never a throw) for a malformed stored value.
    public static func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 6, parts[0] == "scrypt", let log2N = Int(parts[1]), let r = Int(parts[2]),
              let p = Int(parts[3]), Parameters.acceptedLog2N.contains(log2N), (1...32).contains(r), (1...16).contains(p),
              let salt = Hex.decode(parts[4][...]), let expected = Hex.decode(parts[5][...]),
              let actual = try? derive(password, salt: salt, Parameters(log2N: log2N, r: r, p: p)) else { return false }
        return ConstantTime.equal(actual, expected)
    }

    private static func derive(_ password: String, salt: [UInt8], _ p: Parameters) throws -> [UInt8] {
        let key = try KDF.Scrypt.deriveKey(from: Array(password.utf8), salt: salt, outputByteCount: 32,
                                           rounds: 1 << p.log2N, blockSize: p.r, parallelism: p.p)
        return key.withUnsafeBytes { Array($0) }
    }
}
