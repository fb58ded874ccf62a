import Crypto
import Foundation
import Hummingbird
import SandboxPack

/// Who is calling: a bearer token names a platform or the staff; feeds and receipts also prove
/// their body with an HMAC-SHA256 signature under the platform's secret.
public struct Authenticator: Sendable {
    public static let signatureHeader = HTTPFields.Element.Name("X-Sandbox-Signature")!
    /// The platforms in force (SIGHUP replaces them).
    public let platforms: PlatformDirectoryHolder
    var directory: PlatformDirectory { platforms.current }

    public init(directory: PlatformDirectory) { platforms = PlatformDirectoryHolder(directory) }

    enum Caller { case platform(PlatformCredentials), admin }

    func caller(_ request: Request) throws(APIError) -> Caller {
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthorized, "missing Authorization header; send `Authorization: Bearer <token>`")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError(.unauthorized, "Authorization header must be `Bearer <token>`")
        }
        let digest = Array(SHA256.hash(data: Data(parts[1].trimmingCharacters(in: .whitespaces).utf8)))
        // Compare against every token, always, so the time taken does not tell which one matched.
        let directory = directory  // one file for the whole request
        var found: PlatformCredentials?
        for platform in directory.platforms where Self.constantTimeEqual(platform.tokenDigest, digest) {
            found = platform
        }
        let isAdmin = Self.constantTimeEqual(directory.adminTokenDigest, digest)
        if isAdmin { return .admin }
        if let found { return .platform(found) }
        throw APIError(.unauthorized, "bearer token not recognised; check the platform's token file against the regulator's platforms file")
    }

    /// The calling platform; the admin token is no platform.
    func platform(_ request: Request) throws(APIError) -> PlatformCredentials {
        switch try caller(request) {
        case .platform(let p): return p
        case .admin: throw APIError(.forbidden, "the admin token cannot act as a platform; use the platform's own token")
        }
    }

    /// Checks `X-Sandbox-Signature: sha256=<hex>` over the raw body, in constant time.
    func verifySignature(_ request: Request, body: [UInt8], platform: PlatformCredentials) throws(APIError) {
        guard let header = request.headers[Self.signatureHeader] else {
            throw APIError(.unauthorized, "missing X-Sandbox-Signature header; send `sha256=<hex HMAC-SHA256 of the body>`")
        }
        guard header.hasPrefix("sha256="), let mac = Self.hexBytes(header.dropFirst(7)), mac.count == 32 else {
            throw APIError(.unauthorized, "X-Sandbox-Signature must be `sha256=` and 64 lowercase hex digits")
        }
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: platform.hmacKey) else {
            throw APIError(.unauthorized, "X-Sandbox-Signature does not match the body: check the platform's HMAC secret, "
                + "and sign the exact bytes sent (the gzip bytes when compressed)")
        }
    }

    /// The lowercase hex signature of `body` (for clients and tests).
    public static func signature(body: [UInt8], secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + Hex.encode(mac)
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    static func hexBytes(_ text: Substring) -> [UInt8]? { Hex.decode(text) }
}
