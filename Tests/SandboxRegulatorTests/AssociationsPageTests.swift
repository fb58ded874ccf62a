import Foundation
import Hummingbird

import SandboxCore
import XCTest
@testable import SandboxRegulator

/// The console's associations: the city's list with counts; an association's own page with its
/// members' standing, its prompts and the forms to send one and to upload its member list (a
/// file from Excel or pasted codes, refused whole with the wrong lines shown); another
/// association's page is a 404 audited as denied; an auditor reads, a district has no page.
final class AssociationsPageTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias P = PolicyItems
    typealias S = StaffAccessTests

    /// Three enterprises on platform A with classes and roster items (锦江 a member), a case open
    /// against 锦江; the keeper decides them; staff of two associations, the city, an auditor, a district.
    static func seed(_ client: some TestClientProtocol, _ f: F) async throws {
        try await S.fileEnterprises(client)
        let (_, answer) = try await P.post(client, platform: "A", key: "s-1", [
            P.creditClass("A", "m1", uscc: S.jinjiang, "A"), P.roster("A", "m1", uscc: S.jinjiang, member: true),
            P.creditClass("A", "m2", uscc: S.wuhou, "C"), P.roster("A", "m2", uscc: S.wuhou, member: true),
            P.caseItem("A", "A-open", uscc: S.wuhou, rule: "RL-02", state: "open", opened: "2026-07-01T00:00:00+08:00"),
        ])
        XCTAssertEqual(answer["accepted"] as? Int, 5, "\(answer)")
        _ = try await f.store.write { try $0.refreshRoster(limit: 100, now: Timestamp.now()) }
        for (user, role) in [("food-1", "association"), ("drinks-1", "association"), ("city-1", "city"), ("auditor-1", "auditor"),
                             ("jinjiang-1", "district")] {
            try await S.addStaff(client, user, role: role, district: role == "district" ? "510104" : nil,
                                 association: user == "food-1" ? "food" : user == "drinks-1" ? "drinks" : nil)
        }
    }

    func testAnAssociationUploadsItsMembersReadsTheirStandingAndPromptsThem() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await Self.seed(client, f)
            var food = ConsoleBrowser()
            try await food.logIn(client, "food-1")
            var r = try await food.get(client, "/console/associations")
            XCTAssertEqual(r.status, .seeOther)
            XCTAssertEqual(r.headers[.location], "/console/associations/food", "an association's page is its own")
            r = try await food.get(client, "/console/associations/food")
            XCTAssertEqual(r.status, .ok, F.text(r))
            XCTAssertTrue(F.text(r).contains("href=\"/console/associations\">本协会</a>"), "in the navigation")
            XCTAssertTrue(F.text(r).contains("id=\"form-members\" enctype=\"multipart/form-data\""))
            let token = try XCTUnwrap(ConsoleBrowser.formToken(r))

            // The list as Excel saves it: a BOM, a header, a name beside each code.
            let csv = Array("\u{FEFF}统一社会信用代码,企业名称\r\n\(S.jinjiang),成都锦江小吃\r\n\(S.wuhou.lowercased()),\"武侯茶馆\"\r\n".utf8)
            r = try await food.upload(client, "/console/associations/food/members", [("mode", "replace")],
                                      files: [("list", "会员.csv", csv)])
            XCTAssertEqual(r.status, .forbidden, "no form token")
            r = try await food.upload(client, "/console/associations/food/members", [("csrf", token), ("mode", "replace")],
                                      files: [("list", "会员.csv", csv + Array("成都某公司\r\n12345\r\n".utf8))])
            XCTAssertEqual(r.status, .badRequest)
            XCTAssertTrue(F.text(r).contains("id=\"refused\""), F.text(r))
            XCTAssertTrue(F.text(r).contains("<td>4</td><td>成都某公司</td>") && F.text(r).contains("<td>5</td><td>12345</td>"), F.text(r))
            XCTAssertTrue(F.text(r).contains(#"<dd id="member-count">0</dd>"#), "refused whole: nothing changed")
            r = try await food.upload(client, "/console/associations/food/members", [("csrf", token), ("mode", "replace")],
                                      files: [("list", "会员.csv", csv)])
            XCTAssertEqual(r.status, .seeOther, F.text(r))
            r = try await food.upload(client, "/console/associations/food/members",
                                      [("csrf", token), ("mode", "extend"), ("usccs", "\(S.wuhouShopInJinjiang)\n")], files: [])
            XCTAssertEqual(r.status, .seeOther, F.text(r))
            r = try await food.upload(client, "/console/associations/food/members", [("csrf", token), ("mode", "extend")], files: [])
            XCTAssertEqual(r.status, .badRequest, "an empty list")

            // The members' standing: the roster's decision, the worst class, the open cases.
            r = try await food.get(client, "/console/associations/food?format=csv")
            let lines = F.text(r).split(separator: "\r\n").map(String.init)
            XCTAssertEqual(lines.count, 4, "\(lines)")
            let rows = Dictionary(uniqueKeysWithValues: lines.dropFirst().map { (String($0.prefix(18)), $0) })
            XCTAssertTrue(rows[S.jinjiang]?.hasPrefix("\(S.jinjiang),,在名单内,A,0,") == true, "\(rows)")
            XCTAssertTrue(rows[S.wuhou]?.hasPrefix("\(S.wuhou),,不在名单内,C,1,") == true, "\(rows)")
            XCTAssertTrue(rows[S.wuhouShopInJinjiang]?.hasPrefix("\(S.wuhouShopInJinjiang),,尚无决定,未分类,0,") == true, "\(rows)")
            r = try await food.get(client, "/console/associations/food")
            XCTAssertTrue(F.text(r).contains("<a href=\"/console/enterprises/\(S.wuhou)\">"), "a member opens as its file")

            // A prompt to every member's storefronts, then one to a single member.
            r = try await food.post(client, "/console/associations/food/prompts",
                                    [("csrf", token), ("title", "618 大促合规提示"), ("text", "请规范标价，不得虚构原价。")])
            XCTAssertEqual(r.status, .seeOther, F.text(r))
            r = try await food.post(client, "/console/associations/food/prompts",
                                    [("csrf", token), ("title", "亮照提示"), ("text", "请在首页亮照。"), ("usccs", S.jinjiang)])
            XCTAssertEqual(r.status, .seeOther, F.text(r))
            r = try await food.post(client, "/console/associations/food/prompts", [("csrf", token), ("title", "x"), ("text", "")])
            XCTAssertEqual(r.status, .badRequest, "a prompt says something")
            r = try await client.execute(uri: "/v1/directives?after=0", method: .get, headers: F.bearer(F.tokens["A"]!))
            let prompts = (try F.json(r)["directives"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == "prompt" }
            XCTAssertEqual(prompts.count, 4, "three storefronts, then one")
            let issuer = (prompts.first?["payload"] as? [String: Any])?["issuer"] as? [String: Any]
            XCTAssertEqual(issuer?["id"] as? String, "food")
            r = try await food.get(client, "/console/associations/food")
            let page = F.text(r)
            XCTAssertTrue(page.contains("<td>618 大促合规提示</td>") && page.contains("<td>3 / 3</td>"), page)
            XCTAssertTrue(page.contains("<td>亮照提示</td>") && page.contains("<td>1 / 1</td>"))
            XCTAssertTrue(page.range(of: "亮照提示")!.lowerBound < page.range(of: "618 大促合规提示")!.lowerBound, "newest first")

            // Another association: its page is not there, and the look is audited as denied.
            var drinks = ConsoleBrowser()
            try await drinks.logIn(client, "drinks-1")
            r = try await drinks.get(client, "/console/associations/food")
            XCTAssertEqual(r.status, .notFound)
            r = try await drinks.post(client, "/console/associations/food/prompts",
                                      [("csrf", ConsoleBrowser.formToken(r) ?? ""), ("title", "x"), ("text", "y")])
            XCTAssertEqual(r.status, .notFound)
            r = try await client.execute(uri: "/v1/admin/audit?actor=drinks-1", method: .get, headers: F.admin)
            let trail = try F.json(r)["entries"] as? [[String: Any]] ?? []
            XCTAssertTrue(trail.contains { $0["action"] as? String == "GET /console/associations/{association}"
                                           && $0["subject"] as? String == "food" && $0["outcome"] as? String == "denied" }, "\(trail)")
        }
    }

    func testTheCityListsEveryAssociationAndAnAuditorOnlyReads() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await Self.seed(client, f)
            let members = try await client.execute(uri: "/v1/admin/associations/food/members", method: .post, headers: F.admin,
                                                   body: F.buffer(Array(#"{"usccs":["\#(S.jinjiang)","\#(S.wuhou)"]}"#.utf8)))
            XCTAssertEqual(members.status, .ok)
            var city = ConsoleBrowser()
            try await city.logIn(client, "city-1")
            var r = try await city.get(client, "/console/associations")
            XCTAssertEqual(r.status, .ok, F.text(r))
            r = try await city.get(client, "/console/associations?format=csv")
            XCTAssertEqual(F.text(r).split(separator: "\r\n").dropFirst().map(String.init), ["drinks,drinks-1,0,0", "food,food-1,2,0"])
            r = try await city.get(client, "/console/associations/food")
            XCTAssertTrue(F.text(r).contains("id=\"form-prompt\""), "the city acts for an association")
            r = try await city.post(client, "/console/associations/food/prompts",
                                    [("csrf", ConsoleBrowser.formToken(r) ?? ""), ("title", "提示"), ("text", "内容"), ("issuer_name", "成都餐饮协会")])
            XCTAssertEqual(r.status, .seeOther)
            r = try await city.get(client, "/console/associations/food")
            XCTAssertTrue(F.text(r).contains("<td>成都餐饮协会</td><td>city-1</td>"), F.text(r))
            r = try await city.get(client, "/console/associations/nobody")
            XCTAssertEqual(r.status, .notFound)

            var auditor = ConsoleBrowser()
            try await auditor.logIn(client, "auditor-1")
            r = try await auditor.get(client, "/console/associations/food")
            XCTAssertEqual(r.status, .ok)
            XCTAssertFalse(F.text(r).contains("id=\"form-prompt\""), "an auditor changes nothing")
            r = try await auditor.post(client, "/console/associations/food/prompts",
                                       [("csrf", ConsoleBrowser.formToken(r) ?? ""), ("title", "x"), ("text", "y")])
            XCTAssertEqual(r.status, .forbidden)
            var officer = ConsoleBrowser()
            try await officer.logIn(client, "jinjiang-1")
            r = try await officer.get(client, "/console/associations")
            XCTAssertEqual(r.status, .forbidden)
        }
    }

    func testAMemberListFromExcelOrPastedText() {
        let gb18030Name: [UInt8] = [0xB3, 0xC9, 0xB6, 0xBC]  // 成都 in GB18030
        var list = MemberList(Array("USCC;name\r\n".utf8) + Array(S.jinjiang.utf8) + [UInt8(ascii: ";")] + gb18030Name
                              + Array("\r\n\r\n\t\(S.wuhou)\t\n\(S.jinjiang)\n".utf8))
        XCTAssertEqual(list.usccs, [S.jinjiang, S.wuhou], "the header skipped, the repeat once, the GB18030 name beside it ignored")
        XCTAssertTrue(list.problems.isEmpty)
        let wrong = S.jinjiang.dropLast() + (S.jinjiang.hasSuffix("0") ? "1" : "0")
        list = MemberList(Array("\(wrong)\n".utf8))
        XCTAssertEqual(list.problems.map(\.line), [1], "a code with a wrong check character is wrong even on the first line")
    }
}
