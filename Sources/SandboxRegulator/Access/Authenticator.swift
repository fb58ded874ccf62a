import Crypto
import Foundation
import Hummingbird
import SandboxCore
import SandboxPack

/// Who is calling: a bearer token names a platform or the staff; feeds and receipts also prove
/// their key, time and body with an HMAC-SHA256 signature under the platform's secret
/// (`LinkSignature`, docs/sync.md).
public struct Authenticator: Sendable {
    public static let signatureHeader = HTTPFields.Element.Name(LinkSignature.signatureHeader)!
    public static let timestampHeader = HTTPFields.Element.Name(LinkSignature.timestampHeader)!
    /// The batch's key, part of the signed message (and the intake's duplicate check).
    static let idempotencyKey = HTTPFields.Element.Name("Idempotency-Key")!
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
        for platform in directory.platforms where ConstantTime.equal(platform.tokenDigest, digest) {
            found = platform
        }
        let isAdmin = ConstantTime.equal(directory.adminTokenDigest, digest)
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

    /// Checks `X-Sandbox-Signature: sha256=<hex>` over the method, path, Idempotency-Key,
    /// `X-Sandbox-Timestamp` and body digest (`LinkSignature`), in constant time, then that the
    /// timestamp is within `LinkSignature.maxSkewSeconds` of `now` (the wall clock, also under a
    /// simulated RegulatorClock: agents sign with theirs): a captured request can be
    /// neither given another key nor posted again later.
    func verifySignature(_ request: Request, body: [UInt8], platform: PlatformCredentials,
                         now: Int64 = RegulatorClock.wall()) throws(APIError) {
        guard let header = request.headers[Self.signatureHeader] else {
            throw APIError(.unauthorized, "missing X-Sandbox-Signature header; send `sha256=<hex HMAC-SHA256>` as docs/sync.md says",
                           platformID: platform.id)
        }
        guard header.hasPrefix("sha256="), let mac = Self.hexBytes(header.dropFirst(7)), mac.count == 32 else {
            throw APIError(.unauthorized, "X-Sandbox-Signature must be `sha256=` and 64 lowercase hex digits", platformID: platform.id)
        }
        guard let stamp = request.headers[Self.timestampHeader], (1...12).contains(stamp.utf8.count),
              stamp.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let sent = Int64(stamp) else {
            throw APIError(.unauthorized, "missing or malformed X-Sandbox-Timestamp (Unix seconds); the signature covers the "
                           + "Idempotency-Key, this time and the body (docs/sync.md) — upgrade the agent", platformID: platform.id)
        }
        let message = LinkSignature.message(method: request.method.rawValue, path: request.uri.path,
                                            idempotencyKey: request.headers[Self.idempotencyKey],
                                            timestamp: stamp, body: body)
        guard LinkSignature.isValid(mac: mac, for: message, secret: platform.hmacSecret) else {
            throw APIError(.unauthorized, "X-Sandbox-Signature does not match: check the platform's HMAC secret, and sign "
                + "method, path, Idempotency-Key, X-Sandbox-Timestamp and the SHA-256 of the exact bytes sent (docs/sync.md)",
                platformID: platform.id)
        }
        let skew = sent - now
        guard abs(skew) <= LinkSignature.maxSkewSeconds else {
            throw APIError(.unauthorized, "X-Sandbox-Timestamp is \(abs(skew)) s \(skew < 0 ? "behind" : "ahead of") the regulator's "
                + "clock (at most \(LinkSignature.maxSkewSeconds) s): set the agent machine's clock right (NTP, chrony); "
                + "the batch is kept and goes once it is", platformID: platform.id)
        }
    }

    static func hexBytes(_ text: Substring) -> [UInt8]? { Hex.decode(text) }
}
