import Crypto
import Foundation

/// One platform's identity on the regulator link: its id, bearer token and HMAC secret.
public struct PlatformCredentials: Sendable {
    public let id: String
    /// SHA-256 of the token: tokens are compared as fixed-length digests, in constant time, so
    /// neither the content nor the length of a token leaks through timing.
    let tokenDigest: [UInt8]
    /// Kept as bytes: `SymmetricKey` is not `Sendable`; a key is made per signature check.
    let hmacSecret: [UInt8]

    public init(id: String, token: String, hmacSecret: String) {
        self.id = id
        tokenDigest = Array(SHA256.hash(data: Data(token.utf8)))
        self.hmacSecret = Array(hmacSecret.utf8)
    }
}

/// The platforms file, loaded: who may call the regulator, and the staff's admin token.
public struct PlatformDirectory: Sendable {
    public let platforms: [PlatformCredentials]
    let adminTokenDigest: [UInt8]

    public init(adminToken: String, platforms: [PlatformCredentials]) {
        adminTokenDigest = Array(SHA256.hash(data: Data(adminToken.utf8)))
        self.platforms = platforms
    }
}

/// The platforms in force, replaced whole when SIGHUP re-reads the platforms file: a rotated token
/// or secret works from the next request on, a removed platform's token stops working, and no
/// connection is dropped. Requests read it once each, so a request sees one file, never a mix.
///
/// `@unchecked Sendable`: the directory is only read or replaced under the lock.
public final class PlatformDirectoryHolder: @unchecked Sendable {
    private let lock = NSLock()
    private var directory: PlatformDirectory

    public init(_ directory: PlatformDirectory) { self.directory = directory }

    public var current: PlatformDirectory { lock.withLock { directory } }

    public func replace(_ new: PlatformDirectory) { lock.withLock { directory = new } }
}
