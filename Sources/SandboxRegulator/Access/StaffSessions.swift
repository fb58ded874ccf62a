import Crypto
import Foundation
import SandboxCore
import SandboxPack

/// Mints staff sessions and personal API tokens: 32 random bytes shown once as hex; the store
/// keeps only their SHA-256.
enum StaffSessions {
    /// A login lasts a working day and a bit; the console logs in again after it.
    static let sessionSeconds: Int64 = 12 * 3600

    static func newSecret(prefix: String) -> (secret: String, digest: [UInt8]) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let secret = prefix + Hex.encode(bytes)
        return (secret, Array(SHA256.hash(data: Data(secret.utf8))))
    }
}
