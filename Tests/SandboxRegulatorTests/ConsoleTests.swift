import Foundation
import Hummingbird
import SandboxCore
import XCTest
@testable import SandboxRegulator

/// The staff console through the router (docs/console.md): login and its cookie, the form
/// tokens, the security headers, escaping, and jurisdiction on every page — enforced by the
/// route groups, audited like the API.
final class ConsoleTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias S = StaffAccessTests

    func testLoginSetsAnHttpOnlyStrictSessionCookieAndLogoutEndsTheSession() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await S.addStaff(client, "city-1", role: "city")
            var browser = ConsoleBrowser()
            let form = try await browser.get(client, "/console/login")
            var r = try await browser.post(client, "/console/login", [("csrf", ConsoleBrowser.formToken(form) ?? ""),
                                                                       ("username", "city-1"), ("password", "correct horse battery")])
            XCTAssertEqual(r.status, .seeOther)
            XCTAssertEqual(r.headers[.location], "/console")
            let session = try XCTUnwrap(r.headers[values: .setCookie].first { $0.hasPrefix("sandbox_console=sess-") })
            XCTAssertTrue(session.contains("; HttpOnly"), session)
            XCTAssertTrue(session.contains("; SameSite=Strict"), session)
            XCTAssertTrue(session.contains("; Path=/console"), session)
            XCTAssertFalse(session.contains("Secure"), "plain HTTP without --console-secure-cookies: \(session)")

            r = try await browser.get(client, "/console/search")
            XCTAssertEqual(r.status, .ok)
            XCTAssertTrue(F.text(r).contains("city-1"), "the page names who is signed in")
            r = try await browser.post(client, "/console/logout", [("csrf", ConsoleBrowser.formToken(r) ?? "")])
            XCTAssertEqual(r.status, .seeOther)
            XCTAssertNil(browser.cookies["sandbox_console"], "the cookie is removed")
            // The session row is gone too: the old cookie no longer signs anyone in.
            let old = try XCTUnwrap(session.split(separator: ";").first.map(String.init))
            r = try await client.execute(uri: "/console/search", method: .get, headers: [.cookie: old])
            XCTAssertEqual(r.status, .seeOther)
            XCTAssertEqual(r.headers[.location], "/console/login")

            // A wrong password: the form again, 401, no session.
            var stranger = ConsoleBrowser()
            let again = try await stranger.get(client, "/console/login")
            r = try await stranger.post(client, "/console/login", [("csrf", ConsoleBrowser.formToken(again) ?? ""),
                                                                    ("username", "city-1"), ("password", "wrong password 123")])
            XCTAssertEqual(r.status, .unauthorized)
            XCTAssertNil(stranger.cookies["sandbox_console"])
            XCTAssertTrue(F.text(r).contains("用户名或密码错误"), F.text(r))
            let trail = try await f.store.read { try $0.staffAudit(actor: "city-1", subject: nil, since: nil, before: nil, limit: 50) }
            XCTAssertEqual(Set(trail.map(\.action)), ["POST /console/login", "GET /console/search", "POST /console/logout"])
        }
    }

    func testSecureCookiesWhenTLSIsInFront() async throws {
        let f = try F(); defer { f.remove() }
        let directory = PlatformDirectory(adminToken: F.adminToken, platforms: [])
        let router = RegulatorRouter(store: f.store, directory: directory, consoleSecureCookies: true,
                                     passwords: F.passwords)
        try await Application(router: router.build()).test(.router) { client in
            try await S.addStaff(client, "city-1", role: "city")
            var browser = ConsoleBrowser()
            let form = try await browser.get(client, "/console/login")
            XCTAssertTrue(form.headers[values: .setCookie].allSatisfy { $0.hasSuffix("; Secure") })
            let r = try await browser.post(client, "/console/login", [("csrf", ConsoleBrowser.formToken(form) ?? ""),
                                                                       ("username", "city-1"), ("password", "correct horse battery")])
            XCTAssertTrue(r.headers[values: .setCookie].contains { $0.hasPrefix("sandbox_console=sess-") && $0.hasSuffix("; Secure") })
        }
    }

    func testAFormWithoutOrWithAWrongTokenIsRefused() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await S.addStaff(client, "city-1", role: "city")
            var browser = ConsoleBrowser()
            let form = try await browser.get(client, "/console/login")
            var r = try await browser.post(client, "/console/login", [("username", "city-1"), ("password", "correct horse battery")])
            XCTAssertEqual(r.status, .forbidden, "no token")
            r = try await browser.post(client, "/console/login", [("csrf", "0123"), ("username", "city-1"),
                                                                   ("password", "correct horse battery")])
            XCTAssertEqual(r.status, .forbidden, "a token that is not the cookie's")
            XCTAssertNil(browser.cookies["sandbox_console"])
            // The token alone, without the cookie it must match (another site's page cannot read it).
            var other = ConsoleBrowser()
            r = try await other.post(client, "/console/login", [("csrf", ConsoleBrowser.formToken(form) ?? ""),
                                                                 ("username", "city-1"), ("password", "correct horse battery")])
            XCTAssertEqual(r.status, .forbidden)

            try await browser.logIn(client, "city-1")
            r = try await browser.post(client, "/console/logout", [])
            XCTAssertEqual(r.status, .forbidden, "logout without the token")
            r = try await browser.post(client, "/console/logout", [("csrf", String(repeating: "0", count: 64))])
            XCTAssertEqual(r.status, .forbidden, "logout with a wrong token")
            XCTAssertTrue(F.text(r).contains("reload the page"), F.text(r))
            r = try await browser.get(client, "/console/search")
            XCTAssertEqual(r.status, .ok, "the session survived both")
        }
    }

    func testEveryAnswerCarriesTheSecurityHeadersAndNoInlineCode() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await S.fileEnterprises(client)
            try await DeterminationsPageTests.seed(client)
            try await S.addStaff(client, "city-1", role: "city")
            var browser = ConsoleBrowser()
            try await browser.logIn(client, "city-1")
            for uri in ["/console/login", "/console/search?q=91", "/console/enterprises/\(S.jinjiang)",
                        "/console/enterprises/91510104MA6C00000Z", "/console/static/console.js", "/console/static/console.css",
                        "/console/determinations", "/console/determinations/A/A-c1", "/console/roster", "/console/roster/\(S.jinjiang)",
                        "/console/platforms", "/console/platforms/A", "/console/associations", "/console/draws",
                        "/console/leads", "/console/proposals", "/console/directives"] {
                let r = try await browser.get(client, uri)
                XCTAssertEqual(r.headers[HTTPFields.Element.Name("Content-Security-Policy")!],
                               "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'", uri)
                XCTAssertEqual(r.headers[HTTPFields.Element.Name("X-Frame-Options")!], "DENY", uri)
                XCTAssertEqual(r.headers[HTTPFields.Element.Name("X-Content-Type-Options")!], "nosniff", uri)
                guard r.headers[.contentType]?.hasPrefix("text/html") == true else { continue }
                let text = F.text(r)
                // Every script is a file of ours; no style attribute or element.
                XCTAssertEqual(text.components(separatedBy: "<script").count - 1,
                               text.components(separatedBy: "<script src=\"/console/static/").count - 1, uri)
                XCTAssertFalse(text.contains("style="), uri)
                XCTAssertFalse(text.contains("<style"), uri)
                XCTAssertFalse(text.contains(" on"), "no inline event handlers: \(uri)")
            }
        }
    }

    func testAHostileShopNameIsShownAsText() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            let hostile = #"<script>alert('x')</script>"#
            let line = #"{"type":"merchant","platform_id":"A","key":"evil\"1","uscc":"\#(S.jinjiang)","content_hash":"77","data":{"platform_merchant_id":"evil\"1","shop_name":"<script>alert('x')</script>","region_code":"510104"}}"#
            let body = try F.gzip(F.lines([line]))
            let feed = try await client.execute(uri: "/v1/feeds", method: .post, headers: F.signed("A", body: body, key: "b1"),
                                                body: F.buffer(body))
            XCTAssertEqual(feed.status, .ok, F.text(feed))
            XCTAssertEqual(try F.json(feed)["accepted"] as? Int, 1, F.text(feed))
            try await S.addStaff(client, "city-1", role: "city")
            var browser = ConsoleBrowser()
            try await browser.logIn(client, "city-1")
            for uri in ["/console/enterprises/\(S.jinjiang)", "/console/search?q=%3Cscript%3E"] {
                let r = try await browser.get(client, uri)
                XCTAssertEqual(r.status, .ok, uri)
                let text = F.text(r)
                XCTAssertFalse(text.contains(hostile), uri)
                XCTAssertTrue(text.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), "\(uri): \(text)")
            }
            // The query itself, echoed in the search box, is escaped too.
            let r = try await browser.get(client, "/console/search?q=%22%3E%3Cimg%20src%3Dx%3E")
            XCTAssertFalse(F.text(r).contains("<img src=x>"))
            XCTAssertTrue(F.text(r).contains("value=\"&quot;&gt;&lt;img src=x&gt;\""), F.text(r))
        }
    }

    func testADistrictOfficerGets404ForAnotherDistrictAndTheAttemptIsAudited() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await S.fileEnterprises(client)
            try await S.addStaff(client, "jinjiang-1", role: "district", district: "510104")
            var officer = ConsoleBrowser()
            try await officer.logIn(client, "jinjiang-1")
            var r = try await officer.get(client, "/console/enterprises/\(S.jinjiang)")
            XCTAssertEqual(r.status, .ok)
            XCTAssertTrue(F.text(r).contains("店m1"))
            r = try await officer.get(client, "/console/enterprises/\(S.wuhouShopInJinjiang)")
            XCTAssertEqual(r.status, .ok, "a storefront in the district")
            let elsewhere = try await officer.get(client, "/console/enterprises/\(S.wuhou)")
            XCTAssertEqual(elsewhere.status, .notFound)
            let never = try await officer.get(client, "/console/enterprises/91510104MA6C00000Z")
            XCTAssertEqual(never.status, .notFound)
            // The same page as for a code never filed, but for the code itself.
            XCTAssertEqual(F.text(elsewhere).replacingOccurrences(of: S.wuhou, with: "X"),
                           F.text(never).replacingOccurrences(of: "91510104MA6C00000Z", with: "X"))

            // Search shows only the district's enterprises.
            r = try await officer.get(client, "/console/search?q=%E5%BA%97m")  // 店m
            XCTAssertEqual(r.status, .ok)
            XCTAssertTrue(F.text(r).contains(S.jinjiang))
            XCTAssertTrue(F.text(r).contains(S.wuhouShopInJinjiang))
            XCTAssertFalse(F.text(r).contains(S.wuhou + "\""), F.text(r))

            let trail = try await f.store.read { try $0.staffAudit(actor: "jinjiang-1", subject: nil, since: nil, before: nil, limit: 50) }
            let denied = try XCTUnwrap(trail.first { $0.subject == S.wuhou })
            XCTAssertEqual(denied.outcome, "denied")
            XCTAssertEqual(denied.status, 404)
            XCTAssertEqual(denied.action, "GET /console/enterprises/{uscc}")
            XCTAssertEqual(trail.filter { $0.subject == S.jinjiang }.map(\.outcome), ["ok"], "every view is audited")
        }
    }

    func testAnAssociationSeesOnlyItsMembers() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await S.fileEnterprises(client)
            try await S.addStaff(client, "food-assoc", role: "association", association: "food")
            let r0 = try await client.execute(uri: "/v1/admin/associations/food/members", method: .post, headers: F.admin,
                                              body: F.buffer(Array(#"{"usccs":["\#(S.jinjiang)"]}"#.utf8)))
            XCTAssertEqual(r0.status, .ok, F.text(r0))
            var staff = ConsoleBrowser()
            try await staff.logIn(client, "food-assoc")
            var r = try await staff.get(client, "/console/search?q=%E5%BA%97m")
            XCTAssertTrue(F.text(r).contains(S.jinjiang))
            XCTAssertFalse(F.text(r).contains(S.wuhou), "not a member")
            XCTAssertFalse(F.text(r).contains(S.wuhouShopInJinjiang), "not a member")
            r = try await staff.get(client, "/console/enterprises/\(S.jinjiang)")
            XCTAssertEqual(r.status, .ok)
            r = try await staff.get(client, "/console/enterprises/\(S.wuhou)")
            XCTAssertEqual(r.status, .notFound)
        }
    }

    func testPagesAnswerSignedInRolesAndSendEveryoneElseToTheLogin() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await S.fileEnterprises(client)
            for uri in ["/console", "/console/search", "/console/enterprises/\(S.jinjiang)", "/console/dashboard", "/console/leads",
                        "/console/leads/A/A-case-1", "/console/determinations", "/console/determinations/A/A-c1", "/console/roster",
                        "/console/roster/\(S.jinjiang)", "/console/platforms", "/console/associations", "/console/draws",
                        "/console/directives", "/console/directives/dir-x"] {
                var r = try await client.execute(uri: uri, method: .get)
                XCTAssertEqual(r.status, .seeOther, uri)
                XCTAssertEqual(r.headers[.location], "/console/login", uri)
                // A bearer token is for the API: the console's identity is its cookie alone.
                r = try await client.execute(uri: uri, method: .get, headers: F.admin)
                XCTAssertEqual(r.status, .seeOther, uri)
                r = try await client.execute(uri: uri, method: .get, headers: [.cookie: "sandbox_console=sess-forged"])
                XCTAssertEqual(r.status, .seeOther, uri)
            }
            // A personal API token is no session either.
            try await S.addStaff(client, "auditor-1", role: "auditor")
            let api = try await S.login(client, "auditor-1")
            let token = try await client.execute(uri: "/v1/staff/tokens", method: .post, headers: api,
                                                 body: F.buffer(Array(#"{"name":"script"}"#.utf8)))
            if let secret = try? F.json(token)["token"] as? String {
                let r = try await client.execute(uri: "/console/search", method: .get, headers: [.cookie: "sandbox_console=\(secret)"])
                XCTAssertEqual(r.status, .seeOther)
            }
            for (user, role) in [("city-1", "city"), ("auditor-1", "auditor"), ("jinjiang-1", "district"), ("food-1", "association")] {
                if user != "auditor-1" {
                    try await S.addStaff(client, user, role: role, district: role == "district" ? "510104" : nil,
                                         association: role == "association" ? "food" : nil)
                }
                var browser = ConsoleBrowser()
                try await browser.logIn(client, user)
                var r = try await browser.get(client, "/console")
                XCTAssertEqual(r.headers[.location], role == "association" ? "/console/search" : "/console/dashboard", user)
                r = try await browser.get(client, "/console/search")
                XCTAssertEqual(r.status, .ok, user)
                r = try await browser.get(client, "/console/leads")
                XCTAssertEqual(r.status, .ok, user)
                r = try await browser.get(client, "/console/determinations")
                XCTAssertEqual(r.status, .ok, user)
                r = try await browser.get(client, "/console/roster")
                XCTAssertEqual(r.status, role == "association" ? .forbidden : .ok, user)
                r = try await browser.get(client, "/console/platforms")
                XCTAssertEqual(r.status, role == "city" || role == "auditor" ? .ok : .forbidden, user)
                r = try await browser.get(client, "/console/directives")
                XCTAssertEqual(r.status, role == "city" || role == "auditor" ? .ok : .forbidden, user)
                r = try await browser.get(client, "/console/associations")
                XCTAssertEqual(r.status, ["city": .ok, "auditor": .ok, "district": .forbidden, "association": .seeOther][role], user)
                r = try await browser.get(client, "/console/dashboard")
                XCTAssertEqual(r.status, role == "association" ? .forbidden : .ok, user)
                r = try await browser.get(client, "/console/draws")
                XCTAssertEqual(r.status, role == "association" ? .forbidden : .ok, user)
                r = try await browser.get(client, "/console/enterprises/\(S.jinjiang)")
                XCTAssertEqual(r.status, role == "association" ? .notFound : .ok, user)
                // Everyone can leave, the auditor who changes nothing included.
                r = try await browser.post(client, "/console/logout", [("csrf", ConsoleBrowser.formToken(r) ?? "")])
                XCTAssertEqual(r.status, .seeOther, user)
            }
        }
    }

    func testTheLanguageSwitchSticks() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            var browser = ConsoleBrowser()
            var r = try await browser.get(client, "/console/login")
            XCTAssertTrue(F.text(r).contains("<html lang=\"zh-CN\">"))
            XCTAssertTrue(F.text(r).contains("用户名"))
            r = try await browser.get(client, "/console/login?lang=en")
            XCTAssertTrue(F.text(r).contains("<html lang=\"en\">"))
            r = try await browser.get(client, "/console/login")
            XCTAssertTrue(F.text(r).contains("Username"), "the cookie keeps the choice")
            XCTAssertFalse(F.text(r).contains("用户名"))
        }
    }

    func testEveryCatalogueStringHasBothLanguages() {
        for text in ConsoleText.allCases {
            XCTAssertFalse(text.text(.zh).isEmpty, "\(text)")
            XCTAssertFalse(text.text(.en).isEmpty, "\(text)")
        }
    }
}
