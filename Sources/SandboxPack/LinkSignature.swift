import Crypto
import SandboxCore

/// The signature of a request on the regulator link (docs/sync.md "Signature"), computed here
/// once for both sides: the agent that signs and the regulator that checks. It lives in this
/// module because it is the one both programs share that has swift-crypto (as `Hex` does).
///
/// Version 2 signs more than the body. A body-only HMAC let a captured batch be posted again
/// under a new `Idempotency-Key`, at any later time, and an older record replaced a newer one. The
/// signed text binds the method, the path, the key and the time to the body's digest:
///
///     sandbox-link-v2 LF METHOD LF PATH LF IDEMPOTENCY-KEY LF TIMESTAMP LF hex(SHA-256(body))
///
/// `PATH` is the API path (`/v1/feeds`), without the base URL's prefix, so a TLS front end that
/// maps a prefix keeps the signature valid; `IDEMPOTENCY-KEY` is empty when the request has none;
/// `TIMESTAMP` is the `X-Sandbox-Timestamp` header as sent (Unix seconds). The regulator refuses
/// a timestamp more than `maxSkewSeconds` from its clock, so a captured request dies with it.
public enum LinkSignature {
    public static let signatureHeader = "X-Sandbox-Signature"
    public static let timestampHeader = "X-Sandbox-Timestamp"
    /// ± this many seconds between the agent's clock and the regulator's (NTP keeps real clocks
    /// within a second; five minutes leaves room for a retry's queueing and a slow front end).
    public static let maxSkewSeconds: Int64 = 300

    /// The exact bytes the HMAC covers.
    public static func message(method: String, path: String, idempotencyKey: String?, timestamp: String,
                               body: [UInt8]) -> [UInt8] {
        let text = "sandbox-link-v2\n\(method)\n\(path)\n\(idempotencyKey ?? "")\n\(timestamp)\n" + Hex.encode(SHA256.hash(data: body))
        return Array(text.utf8)
    }

    /// `sha256=` and the lowercase hex HMAC-SHA256 of `message` under `secret`.
    public static func sign(_ message: [UInt8], secret: [UInt8]) -> String {
        "sha256=" + Hex.encode(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
    }

    /// Whether `mac` (the header's bytes after `sha256=`) signs `message`; compared in constant time.
    public static func isValid(mac: [UInt8], for message: [UInt8], secret: [UInt8]) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: message, using: SymmetricKey(data: secret))
    }
}
