import SandboxPack

/// The credentials on the agent's requests to the regulator: the bearer token on every one, and
/// on a POST the HMAC-SHA256 of `LinkSignature` (method, path, Idempotency-Key, a timestamp and
/// the SHA-256 of the exact body bytes) with the platform's shared secret — docs/sync.md.
///
/// The body digest covers the bytes as sent (the gzip stream for a feed), so the regulator checks
/// it before decompressing anything; the key and the time make a captured request useless under
/// another key or later. Never printed: its description hides both secrets.
public struct FeedSignature: Sendable, CustomStringConvertible, CustomReflectable {
    public static let signatureHeader = LinkSignature.signatureHeader
    public static let timestampHeader = LinkSignature.timestampHeader
    public static let authorizationHeader = "Authorization"

    /// Raw bytes, not a SymmetricKey: that type is not Sendable in swift-crypto 3, and making
    /// the key per body costs nothing next to hashing the body.
    private let secret: [UInt8]
    private let token: String

    /// `token` and `secret` as read from their files; surrounding whitespace (a trailing newline)
    /// is not part of either.
    public init(token: String, secret: [UInt8]) {
        self.token = token.trimmingWhitespace()
        var secret = secret[...]
        while let last = secret.last, last == 0x0a || last == 0x0d || last == 0x20 || last == 0x09 { secret = secret.dropLast() }
        self.secret = Array(secret)
    }

    /// `Authorization: Bearer <token>`, all a GET needs.
    public var authorization: (String, String) { (FeedSignature.authorizationHeader, "Bearer " + token) }

    /// The bearer, `X-Sandbox-Timestamp` and `X-Sandbox-Signature` headers of a request; the
    /// caller sends `idempotencyKey` as the `Idempotency-Key` header. `path` is the API path
    /// (`/v1/feeds`), without the base URL's prefix.
    public func headers(method: String = "POST", path: String, idempotencyKey: String?, body: [UInt8],
                        unixTime: Int64) -> [(String, String)] {
        let stamp = String(unixTime)
        let message = LinkSignature.message(method: method, path: path, idempotencyKey: idempotencyKey,
                                            timestamp: stamp, body: body)
        return [authorization, (FeedSignature.timestampHeader, stamp),
                (FeedSignature.signatureHeader, LinkSignature.sign(message, secret: secret))]
    }

    public var description: String { "FeedSignature(token: <hidden>, secret: <hidden>)" }
    /// `dump()` and debuggers show no fields either.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
