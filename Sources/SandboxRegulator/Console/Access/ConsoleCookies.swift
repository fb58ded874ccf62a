import Foundation
import Hummingbird

/// The console's cookies: names, reading them from a request, and the `Set-Cookie` values —
/// always HttpOnly and SameSite=Strict (a page on another site cannot make the browser send
/// them, which is the first defence against CSRF; the form token is the second), `Secure` when
/// the regulator is told TLS is in front of it (`serve --console-secure-cookies`).
struct ConsoleCookies: Sendable {
    /// The staff session's secret (a row of `staff_credentials`, valid on every node).
    static let session = "sandbox_console"
    /// A random value that the login form must repeat (no session exists yet to bind a token to).
    static let login = "sandbox_console_login"
    static let language = "sandbox_console_lang"

    /// Whether cookies carry `Secure`: set when the browser reaches the console over TLS.
    let secure: Bool

    static func value(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name else { continue }
                let value = parts[1].trimmingCharacters(in: .whitespaces)
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    /// A cookie for the console's paths only; `maxAge` 0 removes it.
    func setCookie(_ name: String, _ value: String, maxAge: Int64) -> String {
        "\(name)=\(value); Path=/console; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }
}
