import Foundation
import Hummingbird

import SandboxCore
import XCTest
@testable import SandboxRegulator

/// The console's platforms page: every platform's link health for the city and auditors (not a
/// district or an association), one platform's directives still owed a receipt, oldest first,
/// paged by cursor and downloaded; the directives answered or expecting no receipt are not there.
final class PlatformsPageTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias S = StaffAccessTests

    func testTheCitySeesEachPlatformsHealthAndTheDirectivesAwaitingItsReceipts() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            func directive(_ platform: String, _ type: String, case id: String) async throws -> String {
                let body = #"{"platform_id":"\#(platform)","type":"\#(type)","platform_merchant_id":"m1","uscc":"\#(S.jinjiang)","payload":{"case_id":"\#(id)"}}"#
                let r = try await client.execute(uri: "/v1/admin/directives", method: .post, headers: F.admin,
                                                 body: F.buffer(Array(body.utf8)))
                XCTAssertEqual(r.status, .created, F.text(r))
                return try F.json(r)["id"] as? String ?? ""
            }
            let answered = try await directive("A", "suspend", case: "A-answered")
            let first = try await directive("A", "warning", case: "A-first")
            _ = try await directive("A", "prompt", case: "A-prompt")       // expects no receipt
            let second = try await directive("A", "Guidance", case: "A-second")
            _ = try await directive("B", "warning", case: "B-one")
            let receipt = F.lines([#"{"receipt_id":"R1","instruction_id":"\#(answered)","platform_merchant_id":"m1","action":"executed","at":"2026-07-01T10:00:00+08:00"}"#])
            var r = try await client.execute(uri: "/v1/receipts", method: .post,
                                             headers: F.signed("A", body: receipt, path: "/v1/receipts", gzip: false), body: F.buffer(receipt))
            XCTAssertEqual(r.status, .ok, F.text(r))
            let waiting = try await f.store.read { try $0.awaitingReceipt(platformID: "A", after: 0, limit: 10) }
            XCTAssertEqual(waiting.map(\.id), [first, second], "oldest first; answered and receipt-less types left out")
            let next = try await f.store.read { try $0.awaitingReceipt(platformID: "A", after: waiting[0].cursor, limit: 10) }
            XCTAssertEqual(next.map(\.id), [second], "paged by cursor")

            for (user, role) in [("city-1", "city"), ("auditor-1", "auditor"), ("jinjiang-1", "district"), ("food-1", "association")] {
                try await S.addStaff(client, user, role: role, district: role == "district" ? "510104" : nil,
                                     association: role == "association" ? "food" : nil)
            }
            var city = ConsoleBrowser()
            try await city.logIn(client, "city-1")
            r = try await city.get(client, "/console/platforms")
            XCTAssertEqual(r.status, .ok, F.text(r))
            var page = F.text(r)
            XCTAssertTrue(page.contains("href=\"/console/platforms/A\"") && page.contains("href=\"/console/platforms/B\""))
            XCTAssertTrue(page.contains("<td><strong>2</strong></td>"), "A owes two receipts: \(page)")
            XCTAssertTrue(page.contains("从未联系"), "B never called")
            r = try await city.get(client, "/console/platforms?format=csv")
            let lines = F.text(r).split(separator: "\r\n").map(String.init)
            XCTAssertEqual(lines.count, 3)
            XCTAssertTrue(lines[1].hasPrefix("A,正常,"), lines[1])

            r = try await city.get(client, "/console/platforms/A")
            page = F.text(r)
            XCTAssertTrue(page.contains(#"<dd id="awaiting">2</dd>"#), page)
            XCTAssertTrue(page.contains(first) && page.contains(second))
            XCTAssertFalse(page.contains(answered), "answered")
            XCTAssertFalse(page.contains("A-prompt"), "a prompt expects no receipt")
            XCTAssertTrue(page.contains("<a href=\"/console/enterprises/\(S.jinjiang)\">"), "the enterprise linked")
            r = try await city.get(client, "/console/platforms/A?format=xlsx")
            let cells = try ConsoleExportTests.readBack(Array(r.body.readableBytesView))
            XCTAssertEqual(cells.map { $0.count > 1 ? $0[1] : "" }, ["指令", first, second])
            XCTAssertEqual(cells[1][5], "A-first")
            r = try await city.get(client, "/console/platforms/Z")
            XCTAssertEqual(r.status, .notFound, "not in the platforms file")

            var auditor = ConsoleBrowser()
            try await auditor.logIn(client, "auditor-1")
            r = try await auditor.get(client, "/console/platforms/B")
            XCTAssertEqual(r.status, .ok)
            XCTAssertTrue(F.text(r).contains("B-one"))
            for user in ["jinjiang-1", "food-1"] {
                var other = ConsoleBrowser()
                try await other.logIn(client, user)
                r = try await other.get(client, "/console/platforms")
                XCTAssertEqual(r.status, .forbidden, "\(user): the platforms are the city's, as GET /v1/admin/platforms")
                XCTAssertFalse(F.text(r).contains("href=\"/console/platforms\""), "\(user): not in the navigation")
            }
        }
    }

    /// The partial index's condition and the queries' are one text, or the index is never used.
    func testTheIndexOfDirectivesExpectingAReceiptNamesTheTypesThatDo() {
        let list = ReceiptRule.expectedFor.sorted().map { "'\($0)'" }.joined(separator: ", ")
        let sqlite = RegulatorSchema.steps.first { $0.contains("directives_expecting_receipt") }
        let postgres = PostgresSchema.steps.flatMap { $0 }.first { $0.contains("directives_expecting_receipt") }
        XCTAssertTrue(sqlite?.contains("WHERE lower(type) IN (\(list))") == true, sqlite ?? "no step")
        XCTAssertTrue(postgres?.contains("WHERE lower(type) IN (\(list))") == true, postgres ?? "no step")
    }
}
