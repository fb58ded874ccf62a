import Crypto
import Foundation
import SandboxCore
import SandboxPack

/// The token every console form carries and every console POST must repeat: an HMAC of the
/// session's secret, so it needs no storage, is the same on every node, and dies with the
/// session. A page on another site can neither read it (same-origin policy) nor guess it.
enum ConsoleCSRF {
    /// The form field that carries the token.
    static let field = "csrf"

    static func token(sessionSecret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("console-form".utf8), using: SymmetricKey(data: Data(sessionSecret.utf8)))
        return Hex.encode(Array(mac))
    }

    /// Whether `sent` is `expected`, compared in constant time.
    static func matches(_ sent: String?, _ expected: String?) -> Bool {
        guard let sent, let expected else { return false }
        return ConstantTime.equal(Array(sent.utf8), Array(expected.utf8))
    }
}
