import Foundation
import XCTest

/// Staff accounts made with the real `sandbox-regulator staff` command, used against the real
/// server: the account made offline logs in, the password never touches the command line, and a
/// disabled account is locked out of a running server at once.
final class StaffEndToEndTests: XCTestCase {
    func staff(_ arguments: [String], input: String? = nil) throws -> (status: Int32, output: String) {
        try regulator(["staff"] + arguments, input: input)
    }

    func regulator(_ arguments: [String], input: String? = nil) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = RegulatorHarness.binary
        p.arguments = arguments
        let out = Pipe(), stdin = Pipe()
        p.standardOutput = out
        p.standardError = out
        p.standardInput = stdin
        try p.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text)
    }

    func testAnAccountMadeByCommandLogsInAndIsLockedOutWhenDisabled() throws {
        let regulator = try RegulatorHarness()
        let db = regulator.folder.appendingPathComponent("regulator.db").path
        var r = try staff(["add", "--db", db, "--username", "jinjiang-wang", "--role", "district", "--district", "510104",
                           "--display-name", "锦江区局 王", "--password-file", "-"], input: "a long passphrase\n")
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.output.contains("jinjiang-wang (district 510104)"), r.output)
        r = try staff(["add", "--db", db, "--username", "x", "--role", "district", "--password-file", "-"], input: "a long passphrase\n")
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.output.contains("行政区划代码"), "a district without its code must be refused: \(r.output)")
        r = try staff(["add", "--db", db, "--username", "y", "--role", "city", "--password-file", "-"], input: "short\n")
        XCTAssertNotEqual(r.status, 0)

        try regulator.start()
        defer { regulator.stop() }
        let login = try regulator.request("POST", "/v1/staff/login", token: nil,
                                          body: Data(#"{"username":"jinjiang-wang","password":"a long passphrase"}"#.utf8))
        XCTAssertEqual(login.status, 200, String(decoding: login.body, as: UTF8.self))
        let session = try XCTUnwrap(login.json["token"] as? String)
        XCTAssertEqual(try regulator.request("GET", "/v1/staff/me", token: session).json["display_name"] as? String, "锦江区局 王")
        // The command hashed at the standard cost; the tests' regulator makes cheaper hashes
        // (RegulatorHarness) and says so at start, and checks each hash at its own cost.
        XCTAssertTrue(regulator.log.contains("WEAK STAFF PASSWORD HASHES") && regulator.log.contains("2^10"), regulator.log)
        let weaker = try self.regulator(["serve", "--db", db, "--platforms", "/nonexistent", "--staff-password-log2n", "9"])
        XCTAssertNotEqual(weaker.status, 0)
        XCTAssertTrue(weaker.output.contains("--staff-password-log2n must be 10…20"), weaker.output)

        r = try staff(["list", "--db", db])
        XCTAssertTrue(r.output.contains("jinjiang-wang\tdistrict\t510104\tenabled"), r.output)
        XCTAssertFalse(r.output.contains("scrypt"), "no hash in the listing")
        r = try staff(["disable", "--db", db, "jinjiang-wang"])
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertEqual(try regulator.request("GET", "/v1/staff/me", token: session).status, 401,
                       "a disabled account's session must end on the running server")
        XCTAssertFalse(regulator.log.contains("a long passphrase"), "the password reached the log")

        // Every step is in the audit trail, read by the admin token.
        let trail = try regulator.request("GET", "/v1/admin/audit?actor=jinjiang-wang").json["entries"] as? [[String: Any]] ?? []
        XCTAssertEqual(trail.compactMap { $0["action"] as? String }, ["GET /v1/staff/me", "POST /v1/staff/login"])
        XCTAssertEqual(trail.first?["address"] as? String, "127.0.0.1")
    }

    func testTheOutcomeReportFromTheCommandLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("outcomes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("regulator.db").path
        var r = try regulator(["report", "outcomes", "--db", db, "--from", "2026-01-01", "--to", "2026-12-31", "--json"])
        XCTAssertEqual(r.status, 0, r.output)
        let report = try JSONSerialization.jsonObject(with: Data(r.output.utf8)) as? [String: Any]
        XCTAssertEqual(report?["merchants"] as? Int, 0)
        XCTAssertEqual(report?["no_penalty_decisions"] as? Int, 0)
        r = try regulator(["report", "outcomes", "--db", db, "--region", "510104"])
        XCTAssertTrue(r.output.contains("纳入信用沙盒 (sandbox_members)") && r.output.contains("region 510104"), r.output)
        r = try regulator(["report", "outcomes", "--db", db, "--csv"])
        XCTAssertTrue(r.output.hasPrefix("figure,value\nplatforms,0\n"), r.output)
        r = try regulator(["report", "outcomes", "--db", db, "--region", "51x"])
        XCTAssertNotEqual(r.status, 0)
    }
}
