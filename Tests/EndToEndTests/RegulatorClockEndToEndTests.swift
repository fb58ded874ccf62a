import Foundation
import TestSupport
import XCTest

/// `sandbox-regulator serve --clock-file` (issue 13, for simulations and tests only): the
/// regulator's now is the file's instant, re-read on every use — sessions, "today" and every stamp
/// follow it — while a platform's link signature is still checked against the machine's clock.
final class RegulatorClockEndToEndTests: XCTestCase {
    func write(_ text: String, to url: URL) throws {
        try Data((text + "\n").utf8).write(to: url, options: .atomic)
    }

    func testTheRegulatorRunsOnTheClockFileAndSaysSoLoudly() throws {
        let regulator = try RegulatorHarness()
        let clock = regulator.folder.appendingPathComponent("clock")
        try write("2026-07-01T16:00:00+08:00", to: clock)
        regulator.extraArguments = ["--clock-file", clock.path]
        try regulator.start()
        defer { regulator.stop() }
        XCTAssertTrue(regulator.log.contains("SIMULATED CLOCK"), regulator.log)
        XCTAssertTrue(regulator.log.contains("for simulations and tests only"), regulator.log)

        // A platform signs with the real time: still accepted (the replay window is real time).
        let item = #"{"type":"merchant","platform_id":"platform-a","key":"m1","uscc":"91510104MA6CJJ0124","content_hash":"1","data":{"platform_merchant_id":"m1","shop_name":"店"}}"#
        let fed = try RegulatorHarness.post(regulator.url, "/v1/feeds", as: "platform-a", gzip: SecurityEndToEndTests.gzip([item]), key: "b-1")
        XCTAssertEqual(fed.status, 200, String(decoding: fed.body, as: UTF8.self))

        // A staff session lives 12 hours of the regulator's clock.
        var r = try regulator.request("POST", "/v1/admin/staff", body: Data(#"{"username":"officer-510104","role":"district","district":"510104","password":"a long passphrase"}"#.utf8))
        XCTAssertEqual(r.status, 201, String(decoding: r.body, as: UTF8.self))
        r = try regulator.request("POST", "/v1/staff/login", token: nil, body: Data(#"{"username":"officer-510104","password":"a long passphrase"}"#.utf8))
        XCTAssertEqual(r.json["expires_at"] as? String, "2026-07-01T20:00:00Z", "16:00 in Chengdu plus 12 hours")
        let session = try XCTUnwrap(r.json["token"] as? String)
        XCTAssertEqual(try regulator.request("GET", "/v1/staff/me", token: session).status, 200)
        // The report's default period ends on the simulated today.
        XCTAssertEqual(try regulator.request("GET", "/v1/admin/reports/outcomes").json["to"] as? String, "2026-07-01")

        // The next simulated day: the file is read again; yesterday's session has ended.
        try write("2026-07-02T09:00:00+08:00", to: clock)
        XCTAssertEqual(try regulator.request("GET", "/v1/staff/me", token: session).status, 401)
        XCTAssertEqual(try regulator.request("GET", "/v1/admin/reports/outcomes").json["to"] as? String, "2026-07-02")
        // Unix seconds work too (2026-07-03T00:00:00Z).
        try write("1783036800", to: clock)
        XCTAssertEqual(try regulator.request("GET", "/v1/admin/reports/outcomes").json["to"] as? String, "2026-07-03")
    }

    func testAClockFileItCannotReadStopsTheServerWithWhatToWrite() throws {
        let regulator = try RegulatorHarness()
        let clock = regulator.folder.appendingPathComponent("clock")
        try write("tomorrow", to: clock)
        let (status, text) = try runToCompletion(
            [RegulatorHarness.binary.path, "serve", "--listen", "127.0.0.1:\(regulator.port)",
             "--db", regulator.folder.appendingPathComponent("r.db").path,
             "--platforms", regulator.folder.appendingPathComponent("platforms.toml").path, "--clock-file", clock.path])
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(text.contains("RFC 3339"), text)
    }
}
