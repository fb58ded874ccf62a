import Foundation

/// Writes a file that holds a secret (a token, an HMAC secret, a platforms file with inline
/// secrets) as an operator must: mode 0600, since both programs refuse a secret others may read.
func writeSecret(_ text: String, to url: URL) throws {
    try text.write(to: url, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
}
