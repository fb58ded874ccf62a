import Foundation
import Hummingbird

import SandboxCore
import XCTest
@testable import SandboxRegulator

/// The enterprise's file (一户一档) beyond what the platforms filed: the platforms' receipts to
/// their agents' instructions, the officers' art. 33 decisions with their pages linked, the
/// regulator's directives with their state, and the inspection results of a draw.
final class EnterpriseFileTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias P = PolicyItems
    typealias S = StaffAccessTests

    func testTheFileShowsReceiptsDecisionsAndTheLinksToTheirPages() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await DeterminationsPageTests.seed(client)
            // Platform A's agent suspended the 锦江 storefront; the platform says it did.
            let (status, answer) = try await P.post(client, platform: "A", key: "i-1", [
                P.line("instruction", platform: "A", key: "A-SUSPEND-1", uscc: S.jinjiang,
                       data: ["type": "suspend", "issued_at": "2026-06-20T09:00:00+08:00", "reason": "逾期未整改"])])
            XCTAssertEqual(status, .ok, "\(answer)")
            let receipt = F.lines([#"{"receipt_id":"R9","instruction_id":"A-SUSPEND-1","platform_merchant_id":"m1","action":"executed","at":"2026-06-21T10:00:00+08:00","note":"已暂停店铺"}"#])
            var r = try await client.execute(uri: "/v1/receipts", method: .post,
                                             headers: F.signed("A", body: receipt, path: "/v1/receipts", gzip: false), body: F.buffer(receipt))
            XCTAssertEqual(r.status, .ok, F.text(r))
            r = try await client.execute(uri: "/v1/admin/determinations/A/A-c1", method: .post, headers: F.admin,
                                         body: F.buffer(Array(#"{"decision":"no_penalty","note":"请亮照经营。"}"#.utf8)))
            XCTAssertEqual(r.status, .created, F.text(r))
            try await S.addStaff(client, "city-1", role: "city")
            var city = ConsoleBrowser()
            try await city.logIn(client, "city-1")
            r = try await city.get(client, "/console/enterprises/\(S.jinjiang)")
            XCTAssertEqual(r.status, .ok)
            let page = F.text(r)
            XCTAssertTrue(page.contains("<td>A</td><td>A-SUSPEND-1</td><td>暂停经营</td><td>逾期未整改</td>"), page)
            XCTAssertTrue(page.contains("<td>已执行 2026-06-21T02:00:00Z：已暂停店铺</td>"), "the instruction's receipt: \(page)")
            XCTAssertTrue(page.contains("<td>2026-06-21T02:00:00Z</td><td>平台回执</td><td>A</td><td>A-SUSPEND-1</td><td>已执行：已暂停店铺</td>"),
                          "the receipt in the timeline")
            XCTAssertTrue(page.contains("<td><a href=\"/console/determinations/A/A-c1\">A-c1</a></td><td>A</td><td>不予行政处罚（第三十三条第一款第一句）</td><td>不予行政处罚</td><td>admin-token</td>"),
                          "the art. 33 decision, linked: \(page)")
            XCTAssertTrue(page.contains("<td>请亮照经营。</td>"), "the note")
            XCTAssertTrue(page.contains("<a href=\"/console/leads/A/A-c3\">") && page.contains("<a href=\"/console/determinations/A/A-c3\">"),
                          "a case links its lead and its recommendation")
            XCTAssertTrue(page.contains("首违不罚决定</td><td>") && page.contains("<td>无需回执</td>"),
                          "the decision's directive to the platform, which expects no receipt")
            XCTAssertFalse(page.contains("/console/roster/\(S.jinjiang)"), "no roster decision yet: no link to one")
        }
    }

    func testTheFileShowsTheInspectionResultsOfADraw() async throws {
        typealias D = DrawRunTests
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in try await D.seed(client) }
        let path = f.folder + "/inspectors.toml"
        try D.inspectors.write(toFile: path, atomically: true, encoding: .utf8)
        let options = DrawRun.Options(packPath: D.packPath, seed: "2026-07-01", inspectorsPath: path, asOf: "2026-07-01", createdBy: "test")
        let draw = try await DrawRun.run(options, store: f.store)
        let subject = try XCTUnwrap(draw.result.drawn.first { $0.stratum != "sandbox" })
        try await f.app().test(.router) { client in
            var r = try await client.execute(uri: "/v1/admin/draws/\(draw.id)/results", method: .post, headers: F.admin, body: F.buffer(Array(
                #"{"uscc":"\#(subject.uscc)","result":"problems","follow_up":"责令限期整改","inspectors":"J1;J2"}"#.utf8)))
            XCTAssertEqual(r.status, .created, F.text(r))
            try await S.addStaff(client, "city-1", role: "city")
            var city = ConsoleBrowser()
            try await city.logIn(client, "city-1")
            r = try await city.get(client, "/console/enterprises/\(subject.uscc)")
            let page = F.text(r)
            XCTAssertTrue(page.contains("<td>\(draw.id)</td><td>发现问题</td><td>责令限期整改</td><td>J1;J2</td><td>admin-token</td>"), page)
            XCTAssertTrue(page.contains("<td>双随机抽查结果</td><td></td><td>抽查批次 \(draw.id)</td><td>发现问题 · 责令限期整改 · admin-token</td>"),
                          "in the timeline")
        }
    }
}
