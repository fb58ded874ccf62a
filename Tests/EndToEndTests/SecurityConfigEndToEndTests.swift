import Foundation
import XCTest

/// Issue 17: `sandbox-agent check-config` refuses a configuration that would hand the link's
/// secrets to someone else, with exit 78 and the line and key to fix.
final class SecurityConfigEndToEndTests: XCTestCase {
    /// A [regulator] table with its two secret files beside agent.conf.
    func regulatorTable(_ h: AgentHarness, url: String) throws -> String {
        for name in ["token", "hmac"] {
            try "secret-\(name)\n".write(to: h.root.appendingPathComponent(name), atomically: true, encoding: .utf8)
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
}
