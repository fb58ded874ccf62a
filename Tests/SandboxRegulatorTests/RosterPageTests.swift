import Foundation
import Hummingbird

import SandboxCore
import SandboxPolicy
import XCTest
@testable import SandboxRegulator

/// The console's roster (沙盒名单): the kept decisions of a jurisdiction by place, standing and
/// worst class, paged in USCC order (a district sees its own: registered there or with a
/// storefront there); one enterprise's decision with its reasons, platforms and overrides; the
/// city's override, previewed as the directives it will send and sent only from the preview.
final class RosterPageTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias P = PolicyItems
    typealias S = StaffAccessTests

    /// 锦江, class D, proposed by no one.
    static let jinjiangD = S.uscc(region: "510104", 4)

    /// 锦江 (member: class A, proposed), 武侯 (class C, proposed; also on platform B), the 武侯
    /// enterprise with a 锦江 storefront (class B), a 锦江 class D; then the keeper decides them.
    static func seed(_ client: some TestClientProtocol, _ f: F) async throws {
        var (status, answer) = try await P.post(client, platform: "A", key: "r-1", [
            S.merchant("m1", uscc: S.jinjiang, region: "510104"), S.merchant("m2", uscc: S.wuhou, region: "510107"),
            S.merchant("m3", uscc: S.wuhouShopInJinjiang, region: "510104"), S.merchant("m4", uscc: jinjiangD, region: "510104"),
            P.creditClass("A", "m1", uscc: S.jinjiang, "A"), P.roster("A", "m1", uscc: S.jinjiang, member: true),
            P.creditClass("A", "m2", uscc: S.wuhou, "C"), P.roster("A", "m2", uscc: S.wuhou, member: true),
            P.creditClass("A", "m3", uscc: S.wuhouShopInJinjiang, "B"), P.roster("A", "m3", uscc: S.wuhouShopInJinjiang, member: false),
            P.creditClass("A", "m4", uscc: jinjiangD, "D"),
        ])
        XCTAssertEqual(answer["accepted"] as? Int, 11, "\(answer)")
        (status, answer) = try await P.post(client, platform: "B", key: "r-2", [
            P.line("merchant", platform: "B", key: "b2", uscc: S.wuhou,
                   data: ["platform_merchant_id": "b2", "shop_name": "武侯茶馆B", "region_code": "510107"])])
        XCTAssertEqual(status, .ok, "\(answer)")
        _ = try await f.store.write { try $0.refreshRoster(limit: 100, now: Timestamp.now()) }
    }

    /// The seeded enterprises a roster page lists, in the page's order.
    static func usccs(_ response: TestResponse) -> [String] {
        let text = F.text(response)
        let listed = [S.jinjiang, S.wuhou, S.wuhouShopInJinjiang, jinjiangD].compactMap { u in
            text.range(of: "href=\"/console/roster/\(u)\"").map { (u, $0.lowerBound) }
        }
        return listed.sorted { $0.1 < $1.1 }.map(\.0)
    }

    func testADistrictOfficerReadsItsRosterByPlaceStandingAndClass() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await Self.seed(client, f)
            try await S.addStaff(client, "jinjiang-1", role: "district", district: "510104")
            try await S.addStaff(client, "food-1", role: "association", association: "food")
            var officer = ConsoleBrowser()
            try await officer.logIn(client, "jinjiang-1")
            var r = try await officer.get(client, "/console/roster")
            XCTAssertEqual(r.status, .ok, F.text(r))
            XCTAssertEqual(Self.usccs(r), [S.jinjiang, S.wuhouShopInJinjiang, Self.jinjiangD].sorted(),
                           "registered in 锦江 or with a storefront there, in USCC order")
            XCTAssertTrue(F.text(r).contains("href=\"/console/roster\""), "the navigation links the roster")
            r = try await officer.get(client, "/console/roster?member=yes")
            XCTAssertEqual(Self.usccs(r), [S.jinjiang])
            r = try await officer.get(client, "/console/roster?member=no&class=D")
            XCTAssertEqual(Self.usccs(r), [Self.jinjiangD])
            XCTAssertTrue(F.text(r).contains("<option value=\"D\" selected>"), "the filter stays chosen")
            r = try await officer.get(client, "/console/roster?region=510107")
            XCTAssertEqual(Self.usccs(r), [S.wuhouShopInJinjiang], "another region only as far as it is also 锦江's")
            r = try await officer.get(client, "/console/roster?class=E")
            XCTAssertEqual(r.status, .badRequest)

            // The kept reasons and the proposing platforms, in the list and in the download.
            r = try await officer.get(client, "/console/roster?class=B&format=csv")
            let lines = F.text(r).split(separator: "\r\n").map(String.init)
            XCTAssertEqual(lines.count, 2, "\(lines)")
            XCTAssertTrue(lines[0].hasPrefix("\u{FEFF}统一社会信用代码,企业名称,沙盒名单,入选日期,最差分类"), lines[0])
            XCTAssertTrue(lines[1].hasPrefix("\(S.wuhouShopInJinjiang),,不在名单内,,B,,"), lines[1])
            XCTAssertTrue(lines[1].contains("A 平台店铺 m3 的信用分类为 B 类；沙盒仅接纳 A 类"), "the reason in the reader's language: \(lines[1])")
            r = try await officer.get(client, "/console/roster?member=yes&format=xlsx")
            let cells = try ConsoleExportTests.readBack(Array(r.body.readableBytesView))
            XCTAssertEqual(cells.count, 2)
            XCTAssertEqual(cells[1].prefix(6), [S.jinjiang, "", "在名单内", "2026-03-01", "A", "A"])

            // One enterprise: its decision now; another district's is a 404, audited as denied.
            r = try await officer.get(client, "/console/roster/\(S.jinjiang)")
            XCTAssertEqual(r.status, .ok)
            XCTAssertTrue(F.text(r).contains("<strong class=\"member\">在名单内</strong>"), F.text(r))
            XCTAssertFalse(F.text(r).contains("id=\"form-remove\""), "a district does not override")
            r = try await officer.get(client, "/console/roster/\(S.wuhou)")
            XCTAssertEqual(r.status, .notFound)
            r = try await officer.get(client, "/console/roster/not-a-code")
            XCTAssertEqual(r.status, .badRequest)
            r = try await officer.post(client, "/console/roster/\(S.jinjiang)/preview",
                                       [("csrf", ConsoleBrowser.formToken(r) ?? ""), ("action", "remove"), ("reason", "x")])
            XCTAssertEqual(r.status, .forbidden, "the city overrides, not a district")
            r = try await client.execute(uri: "/v1/admin/audit?actor=jinjiang-1", method: .get, headers: F.admin)
            let trail = try F.json(r)["entries"] as? [[String: Any]] ?? []
            XCTAssertTrue(trail.contains { $0["action"] as? String == "GET /console/roster/{uscc}" && $0["subject"] as? String == S.wuhou
                                           && $0["outcome"] as? String == "denied" }, "\(trail)")

            var association = ConsoleBrowser()
            try await association.logIn(client, "food-1")
            r = try await association.get(client, "/console/roster")
            XCTAssertEqual(r.status, .forbidden, "an association reads its members' standing on its own page")
        }
    }

    func testThePagesOfADistrictFollowEachOtherInUSCCOrder() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await Self.seed(client, f)
            var seen: [String] = [], filter = RosterFilter(jurisdiction: .district("510104"))
            while true {
                let page = try await f.store.read { [filter] in try $0.rosterPage(filter, limit: 2) }
                seen += page.map(\.uscc)
                guard page.count == 2 else { break }
                filter.after = page.last?.uscc
            }
            XCTAssertEqual(seen, [S.jinjiang, S.wuhouShopInJinjiang, Self.jinjiangD].sorted())
            let city = try await f.store.read { try $0.rosterPage(RosterFilter(jurisdiction: .everything, worstClass: RosterFilter.unclassified),
                                                                   limit: 10) }
            XCTAssertEqual(city.map(\.uscc), [], "every kept enterprise has a class")
            let all = try await f.store.read { try $0.rosterPage(RosterFilter(jurisdiction: .everything), limit: 10) }
            XCTAssertEqual(all.first { $0.uscc == S.wuhou }?.proposedBy, ["A"])
        }
    }

    func testTheCityRemovesAnEnterpriseAfterSeeingTheDirectivesItWillSend() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await Self.seed(client, f)
            try await S.addStaff(client, "city-1", role: "city")
            try await S.addStaff(client, "auditor-1", role: "auditor")
            var city = ConsoleBrowser()
            try await city.logIn(client, "city-1")
            var r = try await city.get(client, "/console/roster")
            XCTAssertEqual(Self.usccs(r).count, 4, "the city's roster is the whole city")
            r = try await city.get(client, "/console/roster/\(S.wuhou)")
            XCTAssertTrue(F.text(r).contains("id=\"form-admit\"") && F.text(r).contains("id=\"form-remove\""))
            let token = try XCTUnwrap(ConsoleBrowser.formToken(r))

            func removals() async throws -> [[String: Any]] {
                var out: [[String: Any]] = []
                for platform in ["A", "B"] {
                    let r = try await client.execute(uri: "/v1/directives?after=0", method: .get, headers: F.bearer(F.tokens[platform]!))
                    out += (try F.json(r)["directives"] as? [[String: Any]] ?? []).filter {
                        ($0["payload"] as? [String: Any])?["action"] as? String == "remove"
                    }
                }
                return out
            }
            r = try await city.post(client, "/console/roster/\(S.wuhou)/preview",
                                    [("csrf", token), ("action", "remove"), ("reason", "虚假宣传被投诉"), ("basis", "成市监〔2026〕1号"),
                                     ("hold_days", "30")])
            XCTAssertEqual(r.status, .ok, F.text(r))
            let preview = F.text(r)
            XCTAssertTrue(preview.contains("<td>A</td><td>sandbox</td>") && preview.contains("<td>B</td><td>sandbox</td>"),
                          "both platforms holding a storefront: \(preview)")
            XCTAssertTrue(preview.contains("&quot;hold_days&quot;:30"), preview)
            XCTAssertTrue(preview.contains("name=\"reason\" value=\"虚假宣传被投诉\""), "the preview's form sends what it shows")
            let previewed = try await removals()
            XCTAssertEqual(previewed.count, 0, "a preview sends nothing")
            r = try await city.post(client, "/console/roster/\(S.wuhou)/preview", [("csrf", token), ("action", "remove"), ("reason", " ")])
            XCTAssertEqual(r.status, .badRequest, "a removal says why")
            r = try await city.post(client, "/console/roster/\(S.wuhou)/preview", [("csrf", token), ("action", "remove"), ("reason", "x"),
                                                                                   ("hold_days", "9999")])
            XCTAssertEqual(r.status, .badRequest)
            r = try await city.post(client, "/console/roster/\(S.wuhou)", [("action", "remove"), ("reason", "虚假宣传被投诉")])
            XCTAssertEqual(r.status, .forbidden, "no form token")

            r = try await city.post(client, "/console/roster/\(S.wuhou)",
                                    [("csrf", token), ("action", "remove"), ("reason", "虚假宣传被投诉"), ("basis", "成市监〔2026〕1号"),
                                     ("hold_days", "30")])
            XCTAssertEqual(r.status, .seeOther, F.text(r))
            let sent = try await removals()
            XCTAssertEqual(sent.compactMap { $0["uscc"] as? String }, [S.wuhou, S.wuhou])
            XCTAssertEqual(Set(sent.compactMap { ($0["payload"] as? [String: Any])?["reason"] as? String }), ["虚假宣传被投诉"])
            r = try await city.get(client, "/console/roster/\(S.wuhou)")
            let page = F.text(r)
            XCTAssertTrue(page.contains("监管部门的移出决定仍在保留期内"), page)
            r = try await city.get(client, "/console/roster/\(S.wuhou)?lang=en")
            XCTAssertTrue(F.text(r).contains("a regulator removal is in force"), "the rule's own text in English")
            _ = try await city.get(client, "/console/roster/\(S.wuhou)?lang=zh")
            XCTAssertTrue(page.contains("<td>虚假宣传被投诉</td><td>成市监〔2026〕1号</td><td>30</td>"), page)
            _ = try await f.store.write { try $0.refreshRoster(limit: 100, now: Timestamp.now()) }
            r = try await city.get(client, "/console/roster?region=510107")
            XCTAssertTrue(F.text(r).contains("移出 (1)"), "the list shows the newest override")

            // No storefront anywhere: nothing to preview.
            r = try await city.post(client, "/console/roster/91510104MA6C00000Z/preview", [("csrf", token), ("action", "admit"), ("reason", "x")])
            XCTAssertEqual(r.status, .notFound)

            var auditor = ConsoleBrowser()
            try await auditor.logIn(client, "auditor-1")
            r = try await auditor.get(client, "/console/roster/\(S.wuhou)")
            XCTAssertEqual(r.status, .ok)
            XCTAssertFalse(F.text(r).contains("id=\"form-remove\""), "an auditor changes nothing")
        }
    }

    /// Every sentence the regulator's roster rule writes is said in Chinese on the Chinese page;
    /// a text the console does not know is shown as it is.
    func testEveryReasonTheRuleWritesIsSaidInChinese() {
        func decision(_ platform: String, _ id: String, member: Bool, _ letter: String?) -> SandboxRegulator.RosterDecision {
            SandboxRegulator.RosterDecision(platformID: platform, platformMerchantID: id, member: member, memberSince: nil, source: nil, decision: .null,
                           readmitNotBefore: nil, creditClass: letter, packVersion: nil, packSerial: nil, updatedAt: "")
        }
        func facts(_ platforms: [SandboxRegulator.RosterDecision], removal: Bool = false) -> RegulatorRosterRule.Facts {
            RegulatorRosterRule.Facts(platforms: platforms, uscc: S.wuhou, openCases: 2, abnormalList: true, seriousViolationList: true,
                                      admittedClasses: ["A", "B"], localDivisions: ["5101"], removalInForce: removal, admittedByStaff: false)
        }
        var c = ConsoleRequestState()
        let reasons = RegulatorRosterRule.reasons(facts([decision("A", "m1", member: false, "C"), decision("B", "n 1", member: true, nil)]))
            + RegulatorRosterRule.reasons(facts([])) + RegulatorRosterRule.reasons(facts([], removal: true))
        var local = RegulatorRosterRule.Facts(platforms: [], uscc: "91440300MA5F00000X", openCases: 0, abnormalList: nil, seriousViolationList: nil,
                                              admittedClasses: ["A"], localDivisions: ["5101"], removalInForce: false, admittedByStaff: false)
        local.localDivisions = ["5101", "5102"]
        let all = reasons + RegulatorRosterRule.reasons(local)
        XCTAssertEqual(all.count, 13, "\(all)")
        for reason in all {
            XCTAssertNotNil(RosterReasonText.chinese(reason), "no Chinese for: \(reason)")
        }
        XCTAssertEqual(RosterReasonText.text("A storefront m1 is rated class C; the sandbox admits A/B", c),
                       "A 平台店铺 m1 的信用分类为 C 类；沙盒仅接纳 A/B 类")
        XCTAssertEqual(RosterReasonText.text("B storefront n 1 has no class yet", c), "B 平台店铺 n 1 尚无信用分类")
        XCTAssertEqual(RosterReasonText.text("2 case(s) open on the platforms", c), "平台上有 2 件案件尚未办结")
        XCTAssertEqual(RosterReasonText.text("registered in division 440300, not locally (5101, 5102)", c),
                       "登记于行政区划 440300，非本地登记（本地：5101, 5102）")
        XCTAssertEqual(RosterReasonText.text("a reason of a newer rule", c), "a reason of a newer rule", "unknown: the English text")
        c.language = .en
        XCTAssertEqual(RosterReasonText.text(all[0], c), all[0])
    }
}
