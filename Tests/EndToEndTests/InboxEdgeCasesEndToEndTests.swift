import Foundation
import XCTest

/// Inbox files a platform really produces, and a few it should not.
final class InboxEdgeCasesEndToEndTests: XCTestCase {
    func testGzippedJSONLinesAreApplied() throws {
        let h = try AgentHarness()
        let jsonl = """
        {"platform_merchant_id":"j-1","shop_name":"川味小馆","entity_type":"enterprise","uscc":"91350100M000100Y43","category":"general","licence_displayed":true,"complaints_90d":2}
        {"platform_merchant_id":"j-2","shop_name":"Tea \\"House\\"","entity_type":"individual_business","uscc":"914403001922038216","category":"general","annual_turnover_cny":12345.5}
        {"platform_merchant_id":"j-3","shop_name":"bad","entity_type":"enterprise","category":["general"]}

        """
        let plain = h.root.appendingPathComponent("m.jsonl")
        try jsonl.write(to: plain, atomically: true, encoding: .utf8)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-k", plain.path]
        try gzip.run(); gzip.waitUntilExit()
        try h.drop(h.root.appendingPathComponent("m.jsonl.gz"), as: "merchants-0701.jsonl.gz")
        let r = try h.runOnce()
        XCTAssertTrue(r.stdout.contains("2 accepted"), r.stdout)
        XCTAssertTrue(r.stdout.contains("1 rejected"), r.stdout)
        let reject = try XCTUnwrap(try h.outboxLines(prefix: "rejects-").first { $0["type"] as? String == "row_rejected" })
        XCTAssertEqual(reject["line"] as? Int, 3)
        let problem = try XCTUnwrap((reject["problems"] as? [[String: Any]])?.first)
        XCTAssertEqual(problem["column"] as? String, "category")
        XCTAssertEqual(try h.status().int("merchants"), 2)
    }

    func testARegistryFileReverifiesTheMerchantsOfThatCode() throws {
        let h = try AgentHarness()
        try h.drop(text: "platform_merchant_id,shop_name,entity_type,uscc,registered_name,displayed_name,category,licence_displayed,verified_at,status\n"
                   + "m-1,Shop,enterprise,91350100M000100Y43,甲公司,甲公司,general,是,2026-10-01,active\n"
                   + "m-2,Shop 2,enterprise,91350100M000100Y43,甲公司,甲公司,general,是,2026-10-01,active\n",
                   name: "merchants-1.csv")
        try h.runOnce()
        XCTAssertEqual(try h.outboxFiles(prefix: "verification-").count, 0)
        // The registry says the company was cancelled (注销): both storefronts of the code must hear it.
        try h.drop(text: "统一社会信用代码,名称,登记状态\n91350100M000100Y43,甲公司,注销\n", name: "registry-1.csv")
        try h.runOnce()
        let lines = try h.outboxLines(prefix: "verification-")
        XCTAssertEqual(Set(lines.compactMap { $0["platform_merchant_id"] as? String }), ["m-1", "m-2"])
        for line in lines {
            XCTAssertEqual(line["source_file"] as? String, "registry-1.csv")
            XCTAssertTrue((line["current"] as? [String] ?? []).contains("REGISTRY_ENDED_WHILE_ACTIVE"), "\(line)")
        }
    }

    func testAVeryLongFileNameIsTakenAndASymbolicLinkIsNot() throws {
        let h = try AgentHarness()
        let long = "merchants-" + String(repeating: "长", count: 80) + ".csv"   // 250 bytes
        try h.drop(text: "platform_merchant_id,shop_name,entity_type,uscc,category\nm-1,S,enterprise,91350100M000100Y43,general\n",
                   name: long)
        let secret = h.root.appendingPathComponent("secret.csv")
        try "platform_merchant_id,shop_name,entity_type,category\ns-1,S,enterprise,general\n".write(to: secret, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: h.inbox.appendingPathComponent("merchants-link.csv").path,
                                                   withDestinationPath: secret.path)
        let r = try h.runOnce()
        XCTAssertTrue(r.stdout.contains("1 applied"), r.stdout)
        XCTAssertTrue(r.stdout.contains("1 failed"), r.stdout)
        XCTAssertEqual(try h.status().int("merchants"), 1, "the link's target was read")
        XCTAssertTrue(FileManager.default.fileExists(atPath: secret.path), "the link's target was moved")
        let problems = try h.outboxLines(prefix: "rejects-").filter { $0["type"] as? String == "file_unreadable" }
        XCTAssertEqual(problems.first?["file"] as? String, "merchants-link.csv")
    }
}
