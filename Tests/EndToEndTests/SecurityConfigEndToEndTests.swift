import Foundation
import TestSupport
import XCTest

/// Issue 17: `sandbox-agent check-config` refuses a configuration that would hand the link's
/// secrets to someone else, with exit 78 and the line and key to fix.
final class SecurityConfigEndToEndTests: XCTestCase {
    /// A [regulator] table with its two secret files (mode 0600) beside agent.conf.
    func regulatorTable(_ h: AgentHarness, url: String) throws -> String {
        for name in ["token", "hmac"] {
            try writeSecret("secret-\(name)\n", to: h.root.appendingPathComponent(name))
        }
        return "[regulator]\nurl = \"\(url)\"\ntoken_file = \"token\"\nhmac_secret_file = \"hmac\"\n"
    }

    func testCheckConfigRefusesPlainHTTPToAHostThatOnlyLooksLikeLoopback() throws {
        let h = try AgentHarness()
        for url in ["http://localhost.evil.com", "http://127.0.0.1.nip.io:8480"] {
            try h.writeConfig(extraConfig: try regulatorTable(h, url: url))
            let r = try h.run(["check-config", "--config", h.configPath])
            XCTAssertEqual(r.status, 78, "\(url) accepted: \(r.stdout) \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("regulator.url"), r.stderr)
            XCTAssertTrue(r.stderr.contains("plain http only to 127.0.0.1, localhost or [::1]"), r.stderr)
        }
        try h.writeConfig(extraConfig: try regulatorTable(h, url: "http://127.0.0.1:8480"))
        let ok = try h.run(["check-config", "--config", h.configPath])
        XCTAssertEqual(ok.status, 0, ok.stderr)
    }

    /// Item 2: a token file anyone may read is refused by check-config (exit 78, the key, the
    /// file and the command that fixes it), and by the regulator at start.
    func testSecretFilesOthersMayReadAreRefusedByBothPrograms() throws {
        let h = try AgentHarness()
        try h.writeConfig(extraConfig: try regulatorTable(h, url: "https://regulator.example"))
        let token = h.root.appendingPathComponent("token").path
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: token)
        let r = try h.run(["check-config", "--config", h.configPath])
        XCTAssertEqual(r.status, 78, r.stderr)
        XCTAssertTrue(r.stderr.contains("regulator.token_file"), r.stderr)
        XCTAssertTrue(r.stderr.contains("chmod 600 \(token)"), r.stderr)
        XCTAssertFalse(r.stderr.contains("secret-token"), "never the secret: \(r.stderr)")
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: token)
        XCTAssertEqual(try h.run(["check-config", "--config", h.configPath]).status, 0)

        let platforms = h.root.appendingPathComponent("platforms.toml")
        try "admin_token = \"adm-secret\"\n[[platform]]\nid = \"p\"\ntoken = \"t\"\nhmac_secret = \"h\"\n"
            .write(to: platforms, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: platforms.path)
        // Under `timeout`: a regulator that took the file would serve until killed.
        let serve = try runToCompletion(["timeout", "30", RegulatorHarness.binary.path, "serve", "--listen", "127.0.0.1:0",
                                         "--db", h.root.appendingPathComponent("r.db").path, "--platforms", platforms.path])
        XCTAssertNotEqual(serve.status, 0, serve.output)
        XCTAssertTrue(serve.output.contains("chmod 600 \(platforms.path)"), serve.output)
        XCTAssertFalse(serve.output.contains("adm-secret"), serve.output)

        // The rule pack signing key: keygen writes it 0600; sign refuses it once others may read it.
        let key = h.root.appendingPathComponent("pack.key").path
        XCTAssertEqual(try runToCompletion([RegulatorHarness.binary.path, "rulepack", "keygen", "--out", key]).status, 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: key)
        let pack = h.root.appendingPathComponent("pack.toml")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../rulepacks/chengdu-2026.1.toml"), to: pack)
        let sign = try runToCompletion([RegulatorHarness.binary.path, "rulepack", "sign", pack.path, "--key", key])
        XCTAssertEqual(sign.status, 1, sign.output)
        XCTAssertTrue(sign.output.contains("chmod 600 \(key)"), sign.output)
    }
}
