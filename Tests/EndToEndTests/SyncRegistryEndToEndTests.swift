import Foundation
import XCTest

/// Registry changes published by the regulator (`import-registry`) reach the agent, re-verify the
/// merchants filed under the changed USCC, and the findings that change go back in the feed.
final class SyncRegistryEndToEndTests: SyncTestCase {
    func testARegistryChangeReverifiesTheMerchantAndItsFindingsReachTheRegulator() throws {
        let agent = try makeAgent()
        let files = try agent.generate(merchants: 300, seed: 5)
        let registryFile = try XCTUnwrap(files["registry"])
        let registryText = try String(contentsOf: registryFile, encoding: .utf8)
        for kind in ["registry", "licences", "merchants"] { try agent.drop(try XCTUnwrap(files[kind])) }
        try agent.runOnce()

        // The regulator's registry says the legal representative of one enterprise changed.
        let lines = registryText.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let repColumn = try XCTUnwrap(header.firstIndex { $0.contains("法定代表人") || $0 == "legal_representative" })
        let target = try XCTUnwrap(lines.dropFirst().first { !$0.contains("\"") })   // a row without quoted fields
        var fields = target.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let uscc = fields[0]
        fields[repColumn] = "新任代表人"
        let change = regulator.folder.appendingPathComponent("registry-change.csv")
        try (lines[0] + "\n" + fields.joined(separator: ",") + "\n").write(to: change, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = RegulatorHarness.binary
        p.arguments = ["import-registry", "--db", regulator.folder.appendingPathComponent("regulator.db").path, change.path]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)

        let before = try agent.outboxFiles(prefix: "verification-").count
        let r = try agent.runOnce()
        XCTAssertTrue(r.stdout.contains("registry changes: 1"), r.stdout)
        let reports = try agent.outboxFiles(prefix: "verification-")
        XCTAssertEqual(reports.count, before + 1, "one verification report for the registry change")
        let changed = try String(contentsOf: try XCTUnwrap(reports.last), encoding: .utf8)
            .split(separator: "\n").map { try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        XCTAssertFalse(changed.isEmpty)
        XCTAssertTrue(changed.allSatisfy { $0["uscc"] as? String == uscc })
        let codes = changed.flatMap { (($0["opened"] as? [[String: Any]]) ?? []) + (($0["changed"] as? [[String: Any]]) ?? []) }
            .compactMap { $0["code"] as? String }
        XCTAssertTrue(codes.contains("LEGAL_REPRESENTATIVE_MISMATCH"), "\(changed)")

        // The new finding is in the regulator's profile of that enterprise.
        let profile = try regulator.request("GET", "/v1/admin/merchants/\(uscc)").json
        let findings = ((profile["findings"] as? [String: Any])?["platform-a"] as? [[String: Any]]) ?? []
        XCTAssertTrue(findings.contains { $0["code"] as? String == "LEGAL_REPRESENTATIVE_MISMATCH" }, "\(profile)")
        // Nothing again on the next run: the cursor moved with the change.
        XCTAssertTrue(try agent.runOnce().stdout.contains("registry changes: 0"))
    }
}
