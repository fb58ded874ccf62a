import Foundation
import Hummingbird

import SandboxCore
import XCTest
@testable import SandboxRegulator

/// The console's directives page (监管指令): the city issues a directive to one enterprise or a
/// list (a bad line refuses the whole list), sees exactly what will be sent — one directive per
/// platform holding a storefront, the enterprises without one named — and only the preview's
/// confirmation sends it, through the API's path; the platforms read it from GET /v1/directives
/// and their receipts show on the follow page, the directive's page and the enterprise's file.
final class DirectivesPageTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias P = PolicyItems
    typealias S = StaffAccessTests

    /// Valid, but no platform holds a storefront under it.
    static let nowhere = S.uscc(region: "510104", 9)

    /// 锦江 with a storefront on A; 武侯 on A and B; staff of every role.
    static func seed(_ client: some TestClientProtocol) async throws {
        var (status, answer) = try await P.post(client, platform: "A", key: "s-1", [
            S.merchant("m1", uscc: S.jinjiang, region: "510104"), S.merchant("m2", uscc: S.wuhou, region: "510107")])
        XCTAssertEqual(answer["accepted"] as? Int, 2, "\(answer)")
        (status, answer) = try await P.post(client, platform: "B", key: "s-2", [
            P.line("merchant", platform: "B", key: "b2", uscc: S.wuhou,
                   data: ["platform_merchant_id": "b2", "shop_name": "武侯茶馆B", "region_code": "510107"])])
        XCTAssertEqual(status, .ok, "\(answer)")
        for (user, role) in [("city-1", "city"), ("auditor-1", "auditor"), ("jinjiang-1", "district"), ("food-1", "association")] {
            try await S.addStaff(client, user, role: role, district: role == "district" ? "510104" : nil,
                                 association: role == "association" ? "food" : nil)
        }
    }

    /// The hidden fields of the form `form-<id>` on a page, unescaped, as a browser sends them.
    static func hiddenFields(_ response: TestResponse, form id: String) -> [(String, String)] {
        let text = F.text(response)
        guard let start = text.range(of: "id=\"form-\(id)\""), let end = text[start.upperBound...].range(of: "</form>") else { return [] }
        let form = text[start.upperBound..<end.lowerBound]
        var out: [(String, String)] = []
        for piece in form.components(separatedBy: "<input type=\"hidden\" name=\"").dropFirst() {
            guard let nameEnd = piece.range(of: "\" value=\""), let valueEnd = piece[nameEnd.upperBound...].range(of: "\">") else { continue }
            let value = String(piece[nameEnd.upperBound..<valueEnd.lowerBound])
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&amp;", with: "&")
            out.append((String(piece[..<nameEnd.lowerBound]), value))
        }
        return out
    }

    static func polled(_ client: some TestClientProtocol, _ platform: String) async throws -> [[String: Any]] {
        let r = try await client.execute(uri: "/v1/directives?after=0", method: .get, headers: F.bearer(F.tokens[platform]!))
        return try F.json(r)["directives"] as? [[String: Any]] ?? []
    }

    func testTheCityIssuesADirectiveToAListFromThePreviewAndFollowsTheReceipts() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await Self.seed(client)
            var city = ConsoleBrowser()
            try await city.logIn(client, "city-1")
            var r = try await city.get(client, "/console/directives")
            XCTAssertEqual(r.status, .ok, F.text(r))
            XCTAssertTrue(F.text(r).contains("id=\"form-issue\" enctype=\"multipart/form-data\""), "the city's form uploads a list")
            XCTAssertTrue(F.text(r).contains("href=\"/console/directives\""), "the navigation links the page")
            let token = try XCTUnwrap(ConsoleBrowser.formToken(r))
            let order = [("csrf", token), ("type", "suspend"), ("reason", "销售无证食品，暂停经营"), ("basis", "《食品安全法》第三十五条"),
                         ("deadline", "2026-12-31")]

            // A list with a line that holds no code is refused whole, the line shown; nothing sent.
            let bad = Array("统一社会信用代码,名称\r\n\(S.jinjiang),锦江\r\n张三食品店,无代码\r\n".utf8)
            r = try await city.upload(client, "/console/directives/preview", order, files: [("list", "list.csv", bad)])
            XCTAssertEqual(r.status, .badRequest, F.text(r))
            XCTAssertTrue(F.text(r).contains("id=\"refused\"") && F.text(r).contains("<td>3</td><td>张三食品店,无代码</td>"), F.text(r))
            var issued = try await f.store.read { try $0.staffDirectives(StaffDirectiveFilter(), limit: 10) }
            XCTAssertEqual(issued.count, 0)

            // The preview: one directive per platform holding a storefront; the enterprise without one named.
            let list = Array("\u{FEFF}\(S.jinjiang)\r\n\(S.wuhou)\r\n".utf8)
            r = try await city.upload(client, "/console/directives/preview", order + [("usccs", Self.nowhere)],
                                      files: [("list", "list.csv", list)])
            XCTAssertEqual(r.status, .ok, F.text(r))
            let preview = F.text(r)
            XCTAssertTrue(preview.contains("<strong id=\"count\">3</strong>"), preview)
            for (platform, uscc) in [("A", S.jinjiang), ("A", S.wuhou), ("B", S.wuhou)] {
                XCTAssertTrue(preview.contains("<td>\(platform)</td><td>suspend</td><td><a href=\"/console/enterprises/\(uscc)\">"), preview)
            }
            XCTAssertTrue(preview.contains("id=\"no-storefront\"") && preview.contains("/console/enterprises/\(Self.nowhere)"), preview)
            XCTAssertTrue(preview.contains("&quot;deadline&quot;:&quot;2026-12-31&quot;") && preview.contains("&quot;officer&quot;:&quot;city-1&quot;"))
            let polledA = try await Self.polled(client, "A")
            let polledB = try await Self.polled(client, "B")
            XCTAssertEqual(polledA.count + polledB.count, 0, "a preview sends nothing")
            let confirm = Self.hiddenFields(r, form: "send")
            XCTAssertEqual(confirm.first { $0.0 == "usccs" }?.1, [S.jinjiang, S.wuhou, Self.nowhere].joined(separator: " "))

            r = try await city.upload(client, "/console/directives", confirm.filter { $0.0 != "csrf" }, files: [])
            XCTAssertEqual(r.status, .forbidden, "no form token")
            r = try await city.upload(client, "/console/directives", confirm.map { $0.0 == "plan" ? ($0.0, "0") : $0 }, files: [])
            XCTAssertEqual(r.status, .conflict, "not the previewed plan: shown again, not sent")
            XCTAssertTrue(F.text(r).contains("id=\"refused\"") && F.text(r).contains("id=\"form-send\""))
            issued = try await f.store.read { try $0.staffDirectives(StaffDirectiveFilter(), limit: 10) }
            XCTAssertEqual(issued.count, 0)

            r = try await city.upload(client, "/console/directives", confirm, files: [])
            XCTAssertEqual(r.status, .seeOther, F.text(r))
            let a = try await Self.polled(client, "A")
            let b = try await Self.polled(client, "B")
            XCTAssertEqual(a.map { $0["uscc"] as? String }, [S.jinjiang, S.wuhou])
            XCTAssertEqual(b.map { $0["uscc"] as? String }, [S.wuhou])
            let payload = try XCTUnwrap(a.first?["payload"] as? [String: Any])
            XCTAssertEqual(payload["reason"] as? String, "销售无证食品，暂停经营")
            XCTAssertEqual(payload["basis"] as? String, "《食品安全法》第三十五条")
            XCTAssertEqual(payload["officer"] as? String, "city-1")
            XCTAssertEqual(a.first?["type"] as? String, "suspend")

            // Platform A refuses the 锦江 suspension with a note; the others still await.
            let refusedID = try XCTUnwrap(a.first?["id"] as? String)
            let receipt = F.lines([#"{"receipt_id":"R1","instruction_id":"\#(refusedID)","platform_merchant_id":"m1","action":"rejected","at":"2026-07-01T10:00:00+08:00","note":"店铺已关闭"}"#])
            r = try await client.execute(uri: "/v1/receipts", method: .post,
                                         headers: F.signed("A", body: receipt, path: "/v1/receipts", gzip: false), body: F.buffer(receipt))
            XCTAssertEqual(r.status, .ok, F.text(r))
            // A directive by the API is issued through the same path, and followed the same way.
            let body = #"{"platform_id":"B","type":"warning","uscc":"\#(S.wuhou)","payload":{"reason":"API"}}"#
            r = try await client.execute(uri: "/v1/admin/directives", method: .post, headers: F.admin, body: F.buffer(Array(body.utf8)))
            XCTAssertEqual(r.status, .created, F.text(r))

            r = try await city.get(client, "/console/directives")
            var page = F.text(r)
            XCTAssertTrue(page.contains("<td><strong>无法执行：店铺已关闭</strong></td>"), page)
            XCTAssertEqual(page.components(separatedBy: "<strong>待回执</strong>").count - 1, 3, "two suspensions and the warning await")
            let newest = page.range(of: "admin-token")!.lowerBound, oldest = page.range(of: refusedID)!.lowerBound
            XCTAssertLessThan(newest, oldest, "newest first")
            r = try await city.get(client, "/console/directives?platform=B&type=suspend")
            page = F.text(r)
            XCTAssertTrue(page.contains("<strong>待回执</strong>") && !page.contains(refusedID) && !page.contains("admin-token"), page)
            r = try await city.get(client, "/console/directives?uscc=\(S.jinjiang)&format=csv")
            let lines = F.text(r).split(separator: "\r\n").map(String.init)
            XCTAssertEqual(lines.count, 2, "\(lines)")
            XCTAssertTrue(lines[0].hasPrefix("\u{FEFF}序号,指令,平台,统一社会信用代码,指令类型"), lines[0])
            XCTAssertTrue(lines[1].contains(",\(refusedID),A,\(S.jinjiang),暂停经营,") && lines[1].contains(",city-1,无法执行：店铺已关闭,"), lines[1])
            r = try await city.get(client, "/console/directives?format=xlsx")
            let cells = try ConsoleExportTests.readBack(Array(r.body.readableBytesView))
            XCTAssertEqual(cells.count, 5, "the header and four directives")
            issued = try await f.store.read { try $0.staffDirectives(StaffDirectiveFilter(), limit: 2) }
            let next = try await f.store.read { [issued] in
                try $0.staffDirectives(StaffDirectiveFilter(before: issued.last!.directive.cursor), limit: 10)
            }
            XCTAssertEqual(next.map(\.directive.id), [a[1]["id"] as? String ?? "", refusedID], "the next page by cursor, after the newest two")
            XCTAssertEqual(issued.first?.issuedBy, "admin-token")

            // One directive with its receipts; and on the enterprise's file.
            r = try await city.get(client, "/console/directives/\(refusedID)")
            XCTAssertEqual(r.status, .ok)
            XCTAssertTrue(F.text(r).contains("<td>R1</td><td>m1</td><td>无法执行</td>"), F.text(r))
            r = try await city.get(client, "/console/directives/dir-nothing")
            XCTAssertEqual(r.status, .notFound)
            r = try await city.get(client, "/console/enterprises/\(S.jinjiang)")
            page = F.text(r)
            XCTAssertTrue(page.contains("<a href=\"/console/directives/\(refusedID)\">"), page)
            XCTAssertTrue(page.contains("<td>2026-07-01T02:00:00Z</td><td>平台回执</td><td>A</td>"), "the receipt in the timeline: \(page)")

            // The roles: the auditor reads only; a district and an association have no page.
            var auditor = ConsoleBrowser()
            try await auditor.logIn(client, "auditor-1")
            r = try await auditor.get(client, "/console/directives")
            XCTAssertEqual(r.status, .ok)
            XCTAssertFalse(F.text(r).contains("id=\"form-issue\""), "an auditor issues nothing")
            r = try await auditor.upload(client, "/console/directives/preview", [("csrf", ConsoleBrowser.formToken(r) ?? "")] + order.dropFirst(),
                                         files: [("list", "l.csv", list)])
            XCTAssertEqual(r.status, .forbidden)
            for user in ["jinjiang-1", "food-1"] {
                var other = ConsoleBrowser()
                try await other.logIn(client, user)
                r = try await other.get(client, "/console/directives")
                XCTAssertEqual(r.status, .forbidden, user)
                r = try await other.get(client, "/console/search")
                XCTAssertFalse(F.text(r).contains("href=\"/console/directives\""), "not offered to \(user)")
                r = try await other.upload(client, "/console/directives/preview", [("csrf", ConsoleBrowser.formToken(r) ?? "")] + order.dropFirst(),
                                           files: [("list", "l.csv", list)])
                XCTAssertEqual(r.status, .forbidden, user)
            }
            // The district's officer sees its enterprise's directives on its file, without the
            // links to the city's directive pages; another district's file is a 404, audited.
            var officer = ConsoleBrowser()
            try await officer.logIn(client, "jinjiang-1")
            r = try await officer.get(client, "/console/enterprises/\(S.jinjiang)")
            XCTAssertTrue(F.text(r).contains("无法执行：店铺已关闭") && !F.text(r).contains("/console/directives/"), F.text(r))
            r = try await officer.get(client, "/console/enterprises/\(S.wuhou)")
            XCTAssertEqual(r.status, .notFound)
            r = try await client.execute(uri: "/v1/admin/audit?actor=jinjiang-1", method: .get, headers: F.admin)
            let trail = try F.json(r)["entries"] as? [[String: Any]] ?? []
            XCTAssertTrue(trail.contains { $0["action"] as? String == "GET /console/enterprises/{uscc}" && $0["subject"] as? String == S.wuhou
                                           && $0["outcome"] as? String == "denied" }, "\(trail)")
            r = try await client.execute(uri: "/v1/admin/audit?actor=city-1", method: .get, headers: F.admin)
            let cityTrail = try F.json(r)["entries"] as? [[String: Any]] ?? []
            XCTAssertTrue(cityTrail.contains { $0["action"] as? String == "POST /console/directives" }, "the sending is audited: \(cityTrail)")
        }
    }

    func testAnOrderIsCheckedBeforeAnythingIsPlanned() throws {
        func order(_ type: String = "guidance", usccs: [String] = [S.jinjiang], reason: String? = "r",
                   deadline: String? = nil) throws -> DirectiveOrder {
            try DirectiveOrder.checked(type: type, usccs: usccs, reason: reason, basis: nil, action: nil, deadline: deadline)
        }
        XCTAssertThrowsError(try order("sandbox"), "the roster's directive goes through its own page")
        XCTAssertThrowsError(try order(usccs: []))
        XCTAssertThrowsError(try order(usccs: ["91510104MA6C00000X"]), "a wrong check character")
        XCTAssertThrowsError(try order(reason: " "))
        XCTAssertThrowsError(try order(deadline: "31/12/2026"))
        let checked = try order(reason: "第一行\r\n第二行", deadline: "2026-12-31")
        XCTAssertEqual(checked.payload(issuer: "局", officer: "o").jsonText,
                       #"{"deadline":"2026-12-31","issuer":"局","officer":"o","reason":"第一行\n第二行"}"#)
        let plan = DirectivePlan(type: "guidance", payload: .object([:]), platformsHolding: [(S.jinjiang, ["A"]), (S.wuhou, []), ("x", ["A", "B"])])
        XCTAssertEqual(plan.directives.map { "\($0.platformID) \($0.uscc ?? "")" }, ["A \(S.jinjiang)", "A x", "B x"])
        XCTAssertEqual(plan.withoutStorefront, [S.wuhou])
        let other = DirectivePlan(type: "guidance", payload: .object([:]), platformsHolding: [(S.jinjiang, ["A"])])
        XCTAssertNotEqual(plan.digest, other.digest)
    }
    /// The follow page, an enterprise's directives and a directive's receipts are read from their
    /// indexes, never by a scan of the directives or of a platform's receipts (SQLite's plans;
    /// PostgreSQL has the same indexes by the same schema step, and its plans follow its
    /// statistics, so they are read by hand: docs/console.md).
    func testTheNewQueriesReadTheirIndexes() async throws {
        let f = try F(); defer { f.remove() }
        guard f.postgres == nil else { return }
        func plan(_ query: String) async throws -> String {
            try await f.store.read { s in
                let statement = try s.database.prepare("EXPLAIN QUERY PLAN " + query)
                defer { statement.reset() }
                var lines: [String] = []
                while try statement.step() { lines.append(statement.string(3) ?? "") }
                return lines.joined(separator: "\n")
            }
        }
        let follow = try await plan(StoreSession.staffDirectivesQuery)
        XCTAssertTrue(follow.contains("SEARCH d USING INDEX directives_issued_by_staff (cursor<?)"), follow)
        XCTAssertFalse(follow.contains("SCAN") || follow.contains("TEMP B-TREE") || follow.contains("PRIMARY KEY (platform_id=?)"), follow)
        XCTAssertTrue(follow.contains("USING INDEX receipts_by_instruction (platform_id=? AND instruction_id=?)"), follow)
        let enterprise = try await plan(StoreSession.directivesToQuery)
        XCTAssertTrue(enterprise.contains("SEARCH d USING INDEX directives_by_uscc (uscc=?)"), enterprise)
        XCTAssertFalse(enterprise.contains("SCAN") || enterprise.contains("TEMP B-TREE"), enterprise)
        let receipts = try await plan(StoreSession.filedReceiptsQuery)
        XCTAssertEqual(receipts, "SEARCH receipts USING INDEX receipts_by_instruction (platform_id=? AND instruction_id=?)")
    }
}
