/// Why an exchange with the regulator did not produce an HTTP response, said for an operator.
///
/// Built only from the endpoint and curl's own message, never from the request: the bearer token
/// and the HMAC signature travel in the headers, and must not reach a log through an error.
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `[regulator] url` cannot be used (not http:// or https://, no host).
    case invalidURL(String)
    case cannotResolve(host: String, detail: String)
    case cannotConnect(host: String, port: Int, detail: String)
    case timeout(seconds: Double)
    /// The regulator's certificate was not trusted (unknown CA, wrong name, expired).
    case tlsVerificationFailed(detail: String)
    /// The certificate was trusted, but its public key is not the pinned one.
    case tlsPinnedKeyMismatch(detail: String)
    /// The agent's own client certificate or key could not be loaded.
    case tlsClientCertificate(detail: String)
    /// The TLS handshake failed for another reason, e.g. the regulator refused the client certificate.
    case tlsHandshakeFailed(detail: String)
    /// The regulator closed or reset the connection before answering.
    case connectionReset(detail: String)
    /// The answer was larger than the connection accepts.
    case responseTooLarge(limit: Int)
    /// Anything else libcurl reported, with its code for a search in its documentation.
    case other(curlCode: Int, detail: String)

    public var description: String {
        switch self {
        case .invalidURL(let why):
            return "regulator url is not usable: \(why); set [regulator] url to https://HOST[:PORT]"
        case .cannotResolve(let host, let detail):
            return "cannot resolve the regulator's host \(host) (\(detail)); check [regulator] url and DNS"
        case .cannotConnect(let host, let port, let detail):
            return "cannot connect to \(host):\(port) (\(detail)); check that the regulator is reachable and [regulator] url"
        case .timeout(let seconds):
            return "timed out after \(TransportError.format(seconds)) s waiting for the regulator; the request will be retried"
        case .tlsVerificationFailed(let detail):
            return "TLS verification failed: \(detail) — check ca_file (the CA that signed the regulator's certificate) and that the url's host matches the certificate"
        case .tlsPinnedKeyMismatch(let detail):
            return "TLS pinned public key mismatch: \(detail) — the regulator's certificate key is not the one in pinned_public_key; confirm the new key with the regulator before changing the pin"
        case .tlsClientCertificate(let detail):
            return "TLS client certificate problem: \(detail) — check client_cert and client_key (PEM, matching pair, readable by the agent)"
        case .tlsHandshakeFailed(let detail):
            return "TLS handshake failed: \(detail) — if the regulator requires mutual TLS, set client_cert and client_key"
        case .connectionReset(let detail):
            return "connection reset: the regulator closed the connection before answering (\(detail)); the request will be retried"
        case .responseTooLarge(let limit):
            return "the regulator's answer exceeded \(limit) bytes; the exchange was abandoned"
        case .other(let code, let detail):
            return "transfer failed (curl error \(code): \(detail))"
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
