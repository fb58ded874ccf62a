import Foundation
import Hummingbird

import SandboxCore
import XCTest
@testable import SandboxRegulator

/// Staff accounts, sessions, roles and jurisdiction, enforced by the route groups' gates, and
/// every staff request in the append-only audit trail.
final class StaffAccessTests: XCTestCase {
    typealias F = RegulatorFixture

    /// 锦江区 (510104) and 武侯区 (510107) enterprises, with valid check characters.
    static let jinjiang = uscc(region: "510104", 1)
    static let wuhou = uscc(region: "510107", 2)
    /// Registered in 武侯区, with a storefront whose region is 锦江区.
    static let wuhouShopInJinjiang = uscc(region: "510107", 3)

    /// A code whose both check characters (organisation code and USCC) are right.
    static func uscc(region: String, _ n: Int) -> String {
        let body = Array(String(format: "MA%06d", n).utf8)
        let organisation = String(decoding: body + [USCC.organizationCheckCharacter(body)!], as: UTF8.self)
        return USCC.withCheckCharacter("91" + region + organisation)!
    }

    static func merchant(_ id: String, uscc: String, region: String) -> String {
        #"{"type":"merchant","platform_id":"A","key":"\#(id)","uscc":"\#(uscc)","content_hash":"\#(id.utf8.count)\#(id.utf8.last!)","data":{"platform_merchant_id":"\#(id)","shop_name":"店\#(id)","region_code":"\#(region)"}}"#
    }

    /// Files three enterprises through platform A's feed.
    static func fileEnterprises(_ client: some TestClientProtocol) async throws {
        let body = try F.gzip(F.lines([Self.merchant("m1", uscc: Self.jinjiang, region: "510104"),
                                       Self.merchant("m2", uscc: Self.wuhou, region: "510107"),
                                       Self.merchant("m3", uscc: Self.wuhouShopInJinjiang, region: "510104")]))
        let r = try await client.execute(uri: "/v1/feeds", method: .post, headers: F.signed("A", body: body, key: "b1"),
                                         body: F.buffer(body))
        XCTAssertEqual(r.status, .ok, F.text(r))
        XCTAssertEqual(try F.json(r)["accepted"] as? Int, 3, F.text(r))
    }

    static func addStaff(_ client: some TestClientProtocol, _ username: String, role: String, district: String? = nil,
                  association: String? = nil, password: String = "correct horse battery") async throws {
        var fields = [#""username":"\#(username)""#, #""role":"\#(role)""#, #""password":"\#(password)""#]
        if let district { fields.append(#""district":"\#(district)""#) }
        if let association { fields.append(#""association":"\#(association)""#) }
        let r = try await client.execute(uri: "/v1/admin/staff", method: .post, headers: F.admin,
                                         body: F.buffer(Array("{\(fields.joined(separator: ","))}".utf8)))
        XCTAssertEqual(r.status, .created, F.text(r))
    }

    static func login(_ client: some TestClientProtocol, _ username: String, password: String = "correct horse battery") async throws -> HTTPFields {
        let r = try await client.execute(uri: "/v1/staff/login", method: .post, headers: [:],
                                         body: F.buffer(Array(#"{"username":"\#(username)","password":"\#(password)"}"#.utf8)))
        XCTAssertEqual(r.status, .ok, F.text(r))
        return F.bearer(try F.json(r)["token"] as? String ?? "")
    }

    func testADistrictOfficerSeesOnlyItsDistrictAndADenialIsAudited() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await Self.fileEnterprises(client)
            try await Self.addStaff(client, "jinjiang-1", role: "district", district: "510104")
            let officer = try await Self.login(client, "jinjiang-1")
            var r = try await client.execute(uri: "/v1/admin/merchants/\(Self.jinjiang)", method: .get, headers: officer)
            XCTAssertEqual(r.status, .ok, "registered in the district")
            r = try await client.execute(uri: "/v1/admin/merchants/\(Self.wuhouShopInJinjiang)", method: .get, headers: officer)
            XCTAssertEqual(r.status, .ok, "a storefront in the district")
            // Another district's enterprise answers exactly like one never filed.
            let elsewhere = try await client.execute(uri: "/v1/admin/merchants/\(Self.wuhou)", method: .get, headers: officer)
            XCTAssertEqual(elsewhere.status, .notFound)
            XCTAssertEqual(F.text(elsewhere), #"{"error":"nothing is filed under USCC \#(Self.wuhou)"}"#)
            // City-wide lists are not the district's.
            r = try await client.execute(uri: "/v1/admin/roster", method: .get, headers: officer)
            XCTAssertEqual(r.status, .forbidden)
            r = try await client.execute(uri: "/v1/admin/directives", method: .post, headers: officer,
                                         body: DirectiveAndProfileTests.directiveBody(platform: "A", merchant: "m1"))
            XCTAssertEqual(r.status, .forbidden)

            let trail = try await f.store.read { try $0.staffAudit(actor: "jinjiang-1", subject: nil, since: nil, before: nil, limit: 50) }
            let denied = try XCTUnwrap(trail.first { $0.subject == Self.wuhou })
            XCTAssertEqual(denied.outcome, "denied")
            XCTAssertEqual(denied.status, 404)
            XCTAssertEqual(denied.role, "district")
            XCTAssertEqual(denied.action, "GET /v1/admin/merchants/{uscc}")
            XCTAssertEqual(trail.filter { $0.subject == Self.jinjiang }.map(\.outcome), ["ok"], "every profile view is audited")
            XCTAssertEqual(trail.filter { $0.outcome == "denied" }.count, 3, "\(trail)")
        }
    }

    func testAnAssociationSeesOnlyItsMembersAndUploadsOnlyItsOwnList() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await Self.fileEnterprises(client)
            try await Self.addStaff(client, "food-assoc", role: "association", association: "food")
            let staff = try await Self.login(client, "food-assoc")
            var r = try await client.execute(uri: "/v1/admin/merchants/\(Self.jinjiang)", method: .get, headers: staff)
            XCTAssertEqual(r.status, .notFound, "not a member yet")
            r = try await client.execute(uri: "/v1/admin/associations/food/members", method: .post, headers: staff,
                                         body: F.buffer(Array(#"{"usccs":["\#(Self.jinjiang)"]}"#.utf8)))
            XCTAssertEqual(r.status, .ok, F.text(r))
            r = try await client.execute(uri: "/v1/admin/merchants/\(Self.jinjiang)", method: .get, headers: staff)
            XCTAssertEqual(r.status, .ok)
            r = try await client.execute(uri: "/v1/admin/merchants/\(Self.wuhou)", method: .get, headers: staff)
            XCTAssertEqual(r.status, .notFound)
            r = try await client.execute(uri: "/v1/admin/associations/tea/members", method: .post, headers: staff,
                                         body: F.buffer(Array(#"{"usccs":["\#(Self.wuhou)"]}"#.utf8)))
            XCTAssertEqual(r.status, .forbidden, "another association's list")
            r = try await client.execute(uri: "/v1/admin/associations/food/members", method: .post, headers: staff,
                                         body: F.buffer(Array(#"{"usccs":["91510104MA6C00000Z"]}"#.utf8)))
            XCTAssertEqual(r.status, .badRequest, "a code with a wrong check character")
        }
    }

    func testAnAuditorReadsEverythingAndChangesNothing() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await Self.fileEnterprises(client)
            try await Self.addStaff(client, "auditor-1", role: "auditor")
            let auditor = try await Self.login(client, "auditor-1")
            var r = try await client.execute(uri: "/v1/admin/merchants/\(Self.wuhou)", method: .get, headers: auditor)
            XCTAssertEqual(r.status, .ok)
            r = try await client.execute(uri: "/v1/admin/roster", method: .get, headers: auditor)
            XCTAssertEqual(r.status, .ok)
            r = try await client.execute(uri: "/v1/admin/directives", method: .post, headers: auditor,
                                         body: DirectiveAndProfileTests.directiveBody(platform: "A", merchant: "m1"))
            XCTAssertEqual(r.status, .forbidden)
            r = try await client.execute(uri: "/v1/admin/audit?actor=auditor-1", method: .get, headers: auditor)
            XCTAssertEqual(r.status, .ok)
            let entries = try F.json(r)["entries"] as? [[String: Any]] ?? []
            // Newest first: the refused directive, the roster, the profile, the login (the audit
            // read itself is written after its answer).
            XCTAssertEqual(entries.map { $0["action"] as? String },
                           ["POST /v1/admin/directives", "GET /v1/admin/roster", "GET /v1/admin/merchants/{uscc}",
                            "POST /v1/staff/login"])
            XCTAssertEqual(entries.first?["outcome"] as? String, "denied")
            XCTAssertNotNil(entries.first?["at"] as? String)
            // A district officer may not read the trail.
            try await Self.addStaff(client, "d-1", role: "district", district: "510104")
            r = try await client.execute(uri: "/v1/admin/audit", method: .get, headers: try await Self.login(client, "d-1"))
            XCTAssertEqual(r.status, .forbidden)
            // Logging out changes nothing in the sandbox: an auditor may, and the session ends.
            r = try await client.execute(uri: "/v1/staff/logout", method: .post, headers: auditor)
            XCTAssertEqual(r.status, .ok, F.text(r))
            r = try await client.execute(uri: "/v1/staff/me", method: .get, headers: auditor)
            XCTAssertEqual(r.status, .unauthorized)
        }
    }

    func testSessionsTokensLogoutDisableAndThrottling() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await Self.addStaff(client, "city-1", role: "city")
            let session = try await Self.login(client, "city-1")
            var r = try await client.execute(uri: "/v1/staff/me", method: .get, headers: session)
            XCTAssertEqual(try F.json(r)["role"] as? String, "city")
            XCTAssertNil(try F.json(r)["password_hash"], "no hash in any answer")
            // A personal API token for scripts.
            r = try await client.execute(uri: "/v1/staff/tokens", method: .post, headers: session,
                                         body: F.buffer(Array(#"{"name":"nightly export","days":30}"#.utf8)))
            XCTAssertEqual(r.status, .created, F.text(r))
            let token = F.bearer(try F.json(r)["token"] as? String ?? "")
            r = try await client.execute(uri: "/v1/admin/stats", method: .get, headers: token)
            XCTAssertEqual(r.status, .ok)
            // Logging out ends the session, not the token.
            r = try await client.execute(uri: "/v1/staff/logout", method: .post, headers: session)
            XCTAssertEqual(r.status, .ok)
            r = try await client.execute(uri: "/v1/admin/stats", method: .get, headers: session)
            XCTAssertEqual(r.status, .unauthorized)
            r = try await client.execute(uri: "/v1/admin/stats", method: .get, headers: token)
            XCTAssertEqual(r.status, .ok)
            // Disabling the account revokes everything it holds.
            r = try await client.execute(uri: "/v1/admin/staff/city-1/disable", method: .post, headers: F.admin)
            XCTAssertEqual(r.status, .ok)
            r = try await client.execute(uri: "/v1/admin/stats", method: .get, headers: token)
            XCTAssertEqual(r.status, .unauthorized)
            r = try await client.execute(uri: "/v1/staff/login", method: .post, headers: [:],
                                         body: F.buffer(Array(#"{"username":"city-1","password":"correct horse battery"}"#.utf8)))
            XCTAssertEqual(r.status, .unauthorized, "a disabled account cannot log in")
            // A platform token is no staff login.
            r = try await client.execute(uri: "/v1/admin/stats", method: .get, headers: F.bearer(F.tokens["A"]!))
            XCTAssertEqual(r.status, .forbidden)

            // Guessing: five failures are free, the sixth attempt waits, even with the right password.
            try await Self.addStaff(client, "city-2", role: "city")
            for _ in 0..<LoginThrottle.freeFailures {
                r = try await client.execute(uri: "/v1/staff/login", method: .post, headers: [:],
                                             body: F.buffer(Array(#"{"username":"city-2","password":"wrong password!!"}"#.utf8)))
                XCTAssertEqual(r.status, .unauthorized)
            }
            r = try await client.execute(uri: "/v1/staff/login", method: .post, headers: [:],
                                         body: F.buffer(Array(#"{"username":"city-2","password":"correct horse battery"}"#.utf8)))
            XCTAssertEqual(r.status, .tooManyRequests)
            XCTAssertNotNil(r.headers[.retryAfter])
            let refused = try await f.store.read { try $0.staffAudit(actor: "city-2", subject: nil, since: nil, before: nil, limit: 50) }
            XCTAssertEqual(refused.filter { $0.action == "POST /v1/staff/login" && $0.outcome == "refused" }.count, 6)
        }
    }

    func testStaffAccountsAreCheckedAndTheAuditTrailIsAppendOnly() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            for (body, status) in [(#"{"username":"x","role":"district","password":"correct horse battery"}"#, HTTPResponse.Status.badRequest),
                                   (#"{"username":"X Y","role":"city","password":"correct horse battery"}"#, .badRequest),
                                   (#"{"username":"short","role":"city","password":"short"}"#, .badRequest),
                                   (#"{"username":"a","role":"association","association":"food","password":"correct horse battery"}"#, .created),
                                   (#"{"username":"a","role":"city","password":"correct horse battery"}"#, .conflict)] {
                let r = try await client.execute(uri: "/v1/admin/staff", method: .post, headers: F.admin, body: F.buffer(Array(body.utf8)))
                XCTAssertEqual(r.status, status, "\(body): \(F.text(r))")
            }
        }
        try await f.store.write { try $0.appendStaffAudit(StaffAuditEntry(at: 1, actor: "x", role: nil, address: nil, action: "GET /", subject: nil,
                                                           outcome: "ok", status: 200)) }
        do {
            try await f.store.write { try $0.tamperWithAudit("UPDATE staff_audit SET actor = 'someone else'") }
            XCTFail("an audit line was changed")
        } catch {
            XCTAssertTrue("\(error)".contains("append-only"), "\(error)")
        }
        do {
            try await f.store.write { try $0.tamperWithAudit("DELETE FROM staff_audit") }
            XCTFail("audit lines were deleted")
        } catch {
            XCTAssertTrue("\(error)".contains("append-only"), "\(error)")
        }
    }

    /// New hashes take the regulator's cost (`serve --staff-password-log2n`, the standard by
    /// default); a login checks each hash at its own, so accounts made at another cost still log
    /// in, and an unknown username is refused after the decoy's check.
    func testNewPasswordHashesTakeTheRegulatorsCostAndOldOnesStillLogIn() async throws {
        let f = try F(); defer { f.remove() }
        let standard = RegulatorRouter(store: f.store, directory: F.directory)
        XCTAssertEqual(standard.passwords.parameters, .standard)
        XCTAssertFalse(standard.passwords.belowStandard)
        try await Application(router: standard.build()).test(.router) { client in
            try await Self.addStaff(client, "made-at-15", role: "city")
        }
        try await f.app().test(.router) { client in
            try await Self.addStaff(client, "made-at-10", role: "city")
            _ = try await Self.login(client, "made-at-15")
            _ = try await Self.login(client, "made-at-10")
            let r = try await client.execute(uri: "/v1/staff/login", method: .post, headers: [:],
                                             body: F.buffer(Array(#"{"username":"nobody","password":"correct horse battery"}"#.utf8)))
            XCTAssertEqual(r.status, .unauthorized, F.text(r))
        }
        let hash = { (name: String) in try await f.store.read { try $0.staffAccount(username: name) }?.passwordHash ?? "" }
        let fifteen = try await hash("made-at-15"), ten = try await hash("made-at-10")
        XCTAssertTrue(fifteen.hasPrefix("scrypt$15$8$1$"), fifteen)
        XCTAssertTrue(ten.hasPrefix("scrypt$10$8$1$"), ten)
        XCTAssertTrue(F.passwords.belowStandard)
    }

    func testPasswordHashAndJurisdiction() throws {
        let stored = try PasswordHash.make("correct horse battery", parameters: .init(log2N: 10, r: 8, p: 1))
        XCTAssertTrue(stored.hasPrefix("scrypt$10$8$1$"))
        XCTAssertTrue(PasswordHash.verify("correct horse battery", against: stored))
        XCTAssertFalse(PasswordHash.verify("correct horse batterY", against: stored))
        XCTAssertFalse(PasswordHash.verify("correct horse battery", against: "scrypt$10$8$1$zz$zz"))
        XCTAssertNotEqual(try PasswordHash.make("same", parameters: .init(log2N: 10, r: 8, p: 1)),
                          try PasswordHash.make("same", parameters: .init(log2N: 10, r: 8, p: 1)), "salted")

        let e = Jurisdiction.Enterprise(uscc: Self.wuhou, storefrontRegions: ["510107"], associations: ["food"])
        XCTAssertTrue(Jurisdiction.everything.admits(e))
        XCTAssertTrue(Jurisdiction.district("510107").admits(e))
        XCTAssertFalse(Jurisdiction.district("510104").admits(e))
        XCTAssertTrue(Jurisdiction.association("food").admits(e))
        XCTAssertFalse(Jurisdiction.association("tea").admits(e))
    }
}

extension StoreSession {
    /// For the append-only test only: runs a statement directly.
    func tamperWithAudit(_ sql: String) throws { try database.execute(sql) }
}

/// An association's 行业自律 prompt reaches its members' storefronts through their platforms.
final class AssociationPromptTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias S = StaffAccessTests

    func testAPromptReachesEveryStorefrontOfTheMembersAndNoOneElse() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await S.fileEnterprises(client)
            try await S.addStaff(client, "food-assoc", role: "association", association: "food")
            let staff = try await S.login(client, "food-assoc")
            var r = try await client.execute(uri: "/v1/admin/associations/food/members", method: .post, headers: staff,
                                             body: F.buffer(Array(#"{"usccs":["\#(S.jinjiang)","\#(S.wuhouShopInJinjiang)"]}"#.utf8)))
            XCTAssertEqual(r.status, .ok)
            r = try await client.execute(uri: "/v1/admin/associations/food/prompts", method: .post, headers: staff,
                                         body: F.buffer(Array(#"{"title":"食品安全自律提示","text":"请按时公示食品经营许可证。","issuer_name":"成都市食品行业协会"}"#.utf8)))
            XCTAssertEqual(r.status, .created, F.text(r))
            XCTAssertEqual(try F.json(r)["storefronts"] as? Int, 2)
            r = try await client.execute(uri: "/v1/directives?after=0", method: .get, headers: F.bearer(F.tokens["A"]!))
            let directives = try F.json(r)["directives"] as? [[String: Any]] ?? []
            XCTAssertEqual(Set(directives.compactMap { $0["platform_merchant_id"] as? String }), ["m1", "m3"], "m2 is no member")
            let payload = try XCTUnwrap(directives.first?["payload"] as? [String: Any])
            XCTAssertEqual(directives.first?["type"] as? String, "prompt")
            XCTAssertEqual((payload["issuer"] as? [String: Any])?["name"] as? String, "成都市食品行业协会")
            XCTAssertEqual(payload["receipt_expected"] as? Bool, false)
            // Another association's members, and directives of its own, are not the association's to send.
            r = try await client.execute(uri: "/v1/admin/associations/tea/prompts", method: .post, headers: staff,
                                         body: F.buffer(Array(#"{"title":"t","text":"x"}"#.utf8)))
            XCTAssertEqual(r.status, .forbidden)
            r = try await client.execute(uri: "/v1/admin/directives", method: .post, headers: staff,
                                         body: DirectiveAndProfileTests.directiveBody(platform: "A", merchant: "m2"))
            XCTAssertEqual(r.status, .forbidden)
        }
    }
}
