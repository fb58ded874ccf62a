import Crypto
import SandboxPack

/// The two credentials on every request to the regulator: the bearer token, and an HMAC-SHA256
/// of the exact body bytes with the platform's shared secret (`X-Sandbox-Signature: sha256=HEX`).
///
/// The signature covers the bytes as sent (the gzip stream for a feed), so the regulator checks
/// it before decompressing anything. Never printed: its description hides both secrets.
public struct FeedSignature: Sendable, CustomStringConvertible, CustomReflectable {
    public static let signatureHeader = "X-Sandbox-Signature"
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

    /// `sha256=` and the lowercase hex HMAC-SHA256 of `body`.
    public func signature(of body: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret))
        return "sha256=" + Hex.encode(mac)
    }

    /// The bearer and signature headers for a request with this body.
    public func headers(for body: [UInt8]) -> [(String, String)] {
        [(FeedSignature.authorizationHeader, "Bearer " + token),
         (FeedSignature.signatureHeader, signature(of: body))]
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
