import Foundation
import TestSupport
import XCTest
@testable import SandboxAgent

/// agent.conf as operators write it, including the regulator link and its secrets.
final class ConfigTests: XCTestCase {
    var folder: String!

    override func setUpWithError() throws {
        folder = try temporaryFolder(prefix: "config", name)
    }

    /// A secret file as an operator should leave it: readable by the agent alone (or `mode`).
    func secret(_ name: String, _ text: String, mode: Int = 0o600) throws {
        let path = folder + "/" + name
        try? FileManager.default.removeItem(atPath: path)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    func load(_ text: String) throws(ConfigError) -> AgentConfig {
        try ConfigLoader.parse(text: text, file: "agent.conf", baseDirectory: folder)
    }

    func expectError(_ text: String, line: Int?, key: String?, containing part: String,
                     file: StaticString = #filePath, lineNumber: UInt = #line) {
        do {
            _ = try load(text)
            XCTFail("accepted: \(text)", file: file, line: lineNumber)
        } catch {
            XCTAssertEqual(error.line, line, "\(error)", file: file, line: lineNumber)
            XCTAssertEqual(error.key, key, "\(error)", file: file, line: lineNumber)
            XCTAssertTrue(error.description.contains(part), "\(error)", file: file, line: lineNumber)
        }
    }

    func testDefaultsAndRelativePaths() throws {
        let c = try load("[agent]\nplatform_id = \"p-1\"\n")
        XCTAssertEqual(c.inbox, folder + "/inbox")
        XCTAssertEqual(c.workDir, folder + "/inbox/.work")
        XCTAssertEqual(c.archiveDir, folder + "/state/archive")
        XCTAssertEqual(c.csvEncoding, .auto)
        XCTAssertEqual(c.rescanIntervalSeconds, 30)
        XCTAssertEqual(c.stopTimeoutSeconds, 90)
        XCTAssertEqual(c.outboxWrites, .direct)
        XCTAssertEqual(try load("[agent]\nplatform_id = \"p\"\noutbox_writes = \"cached\"\n").outboxWrites, .cached)
        XCTAssertEqual(try load("[agent]\nplatform_id = \"p\"\nstop_timeout_seconds = 5\n").stopTimeoutSeconds, 5)
        XCTAssertNil(c.regulator, "no [regulator] means offline")
        XCTAssertNil(try load("[agent]\nplatform_id = \"p\"\n[regulator]\nurl = \"\"\n").regulator)
    }

    func testErrorsNameLineAndKey() {
        expectError("[agent]\nplatform_id = \"p\"\ncsv_encoding = \"latin1\"\n", line: 3, key: "agent.csv_encoding", containing: "gb18030")
        expectError("[agent]\n", line: nil, key: "agent.platform_id", containing: "required")
        expectError("[agent]\nplatform_id = \"a b\"\n", line: 2, key: "agent.platform_id", containing: "A-Z")
        expectError("[agent]\nplatform_id = \"p\"\n[logs]\nlevel = \"info\"\n", line: 4, key: "logs.level", containing: "unknown table")
        expectError("[agent]\nplatform_id = \"p\"\n[log]\nlevel = \"loud\"\n", line: 4, key: "log.level", containing: "loud")
        expectError("[agent]\nplatform_id = \"p\"\nstop_timeout_seconds = 0\n", line: 3, key: "agent.stop_timeout_seconds", containing: "1…3600")
        expectError("[agent]\nplatform_id = \"p\"\noutbox_writes = \"o_direct\"\n", line: 3, key: "agent.outbox_writes",
                    containing: "direct, cached")
    }

    func testRegulatorLinkReadsItsSecretsAndNeverPrintsThem() throws {
        try secret("token", "tok-SECRET-123\n")
        try secret("hmac", "hmac-SECRET-456")
        let c = try load("""
            [agent]
            platform_id = "p"
            [regulator]
            url = "https://regulator.example:8443"
            token_file = "token"
            hmac_secret_file = "hmac"
            ca_file = "ca.pem"
            batch_max_records = 1000
            """)
        let link = try XCTUnwrap(c.regulator)
        XCTAssertEqual(link.endpoint.baseURL, "https://regulator.example:8443")
        XCTAssertEqual(link.endpoint.caFile, folder + "/ca.pem")
        XCTAssertEqual(link.credentials.token, "tok-SECRET-123")
        XCTAssertEqual(link.credentials.hmacSecret, "hmac-SECRET-456")
        XCTAssertEqual(link.batchMaxRecords, 1000)
        XCTAssertEqual(link.batchMaxAgeMilliseconds, 2000)
        for text in ["\(link)", "\(link.credentials)", String(reflecting: link.credentials)] {
            XCTAssertFalse(text.contains("SECRET"), text)
        }
    }

    func testRegulatorLinkErrors() throws {
        let head = "[agent]\nplatform_id = \"p\"\n[regulator]\n"
        expectError(head + "url = \"http://regulator.example\"\n", line: 4, key: "regulator.url", containing: "https://")
        expectError(head + "url = \"https://r\"\nhmac_secret_file = \"h\"\n", line: nil, key: "regulator.token_file",
                    containing: "required")
        expectError(head + "url = \"https://r\"\ntoken_file = \"missing\"\nhmac_secret_file = \"h\"\n", line: 5,
                    key: "regulator.token_file", containing: "cannot read")
        try secret("t", "t")
        try secret("h", "h")
        let ok = head + "url = \"https://r\"\ntoken_file = \"t\"\nhmac_secret_file = \"h\"\n"
        expectError(ok + "client_cert = \"c.pem\"\n", line: nil, key: "regulator.client_key", containing: "together")
        expectError(ok + "pinned_public_key = \"abc\"\n", line: 7, key: "regulator.pinned_public_key", containing: "sha256//")
        expectError(ok + "batch_max_records = 0\n", line: 7, key: "regulator.batch_max_records", containing: "1…100000, got 0")
        expectError(ok + "retries = 3\n", line: 7, key: "regulator.retries", containing: "unknown key")
        // Plain http is for loopback tests only.
        XCTAssertNotNil(try load(head + "url = \"http://127.0.0.1:8080\"\ntoken_file = \"t\"\nhmac_secret_file = \"h\"\n").regulator)
    }

    /// Issue 17 item 1: plain http was allowed by a prefix match, so hosts that only begin like
    /// loopback (and resolve anywhere) got the token and the signed feed in clear.
    func testPlainHTTPOnlyToAnExactLoopbackHost() throws {
        try secret("t", "t")
        try secret("h", "h")
        func conf(_ url: String) -> String {
            "[agent]\nplatform_id = \"p\"\n[regulator]\nurl = \"\(url)\"\ntoken_file = \"t\"\nhmac_secret_file = \"h\"\n"
        }
        for url in ["http://localhost.evil.com", "http://127.0.0.1.nip.io:8080", "http://localhostx",
                    "http://127.0.0.10", "http://[::2]:80", "http://localhost./",
                    "HTTP://LOCALHOST.EVIL.COM/api"] {
            expectError(conf(url), line: 4, key: "regulator.url", containing: "plain http only to 127.0.0.1, localhost or [::1]")
        }
        expectError(conf("http://[::1].evil.com"), line: 4, key: "regulator.url", containing: "is not usable")
        for url in ["http://localhost", "http://LocalHost:8480/api", "http://127.0.0.1:8080", "http://[::1]:8443/",
                    "https://localhost.evil.com"] {
            XCTAssertNotNil(try load(conf(url)).regulator, url)
        }
    }

    /// Issue 17 item 2: secret files anyone on the machine could read (0644) were taken without
    /// a word. Others may have no access at all; the group may read (docs/operations.md: the
    /// files are root:sandbox 0640 and the agent reads them through its group) but not write.
    func testSecretFilesOthersMayReadOrTheGroupMayWriteAreRefused() throws {
        let conf = "[agent]\nplatform_id = \"p\"\n[regulator]\nurl = \"https://r\"\ntoken_file = \"t\"\nhmac_secret_file = \"h\"\n"
        try secret("t", "t")
        for mode in [0o644, 0o604, 0o606, 0o660, 0o620, 0o601] {
            try secret("h", "h", mode: mode)
            expectError(conf, line: 6, key: "regulator.hmac_secret_file", containing: "chmod 600 \(folder!)/h")
        }
        try secret("h", "h")
        try secret("t", "t", mode: 0o644)
        expectError(conf, line: 5, key: "regulator.token_file", containing: "mode 0644")
        for mode in [0o600, 0o640, 0o400, 0o440] {
            try secret("t", "t", mode: mode)
            XCTAssertNotNil(try load(conf).regulator, String(mode, radix: 8))
        }
        // The TLS client key is a secret too (curl reads it later; it is checked here, at start).
        try secret("t", "t")
        try secret("client.pem", "cert", mode: 0o644)
        try secret("client.key", "key", mode: 0o644)
        let mtls = conf + "client_cert = \"client.pem\"\nclient_key = \"client.key\"\n"
        expectError(mtls, line: 8, key: "regulator.client_key", containing: "chmod 600")
        try secret("client.key", "key", mode: 0o600)
        XCTAssertNotNil(try load(mtls).regulator)
    }
}
