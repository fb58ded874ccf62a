import Foundation
import Hummingbird

import XCTest
@testable import SandboxRegulator

final class DirectiveAndProfileTests: XCTestCase {
    typealias F = RegulatorFixture

    static func directiveBody(platform: String, merchant: String) -> ByteBuffer {
        F.buffer(Array(#"{"platform_id":"\#(platform)","type":"guidance","platform_merchant_id":"\#(merchant)","payload":{"reason":"未亮照"}}"#.utf8))
    }

    func testPlatformsSeeOnlyTheirOwnDirectives() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            var r = try await client.execute(uri: "/v1/admin/directives", method: .post, headers: F.admin,
                                             body: Self.directiveBody(platform: "A", merchant: "a1"))
            XCTAssertEqual(r.status, .created)
            let created = try F.json(r)
            XCTAssertEqual(created["platform_merchant_id"] as? String, "a1")
            r = try await client.execute(uri: "/v1/admin/directives", method: .post, headers: F.admin,
                                         body: Self.directiveBody(platform: "B", merchant: "b1"))
            XCTAssertEqual(r.status, .created)
            // A platform cannot create directives.
            r = try await client.execute(uri: "/v1/admin/directives", method: .post, headers: F.bearer(F.tokens["A"]!),
                                         body: Self.directiveBody(platform: "B", merchant: "b1"))
            XCTAssertEqual(r.status, .forbidden)

            r = try await client.execute(uri: "/v1/directives?after=0", method: .get, headers: F.bearer(F.tokens["A"]!))
            let a = try F.json(r)
            let list = a["directives"] as? [[String: Any]] ?? []
            XCTAssertEqual(list.map { $0["platform_merchant_id"] as? String }, ["a1"])
            XCTAssertEqual(list.first?["id"] as? String, created["id"] as? String)
            XCTAssertEqual(a["next_cursor"] as? Int, created["cursor"] as? Int)

            r = try await client.execute(uri: "/v1/directives?after=0", method: .get, headers: F.bearer(F.tokens["B"]!))
            let b = (try F.json(r)["directives"] as? [[String: Any]] ?? []).map { $0["platform_merchant_id"] as? String }
            XCTAssertEqual(b, ["b1"])
            // After the last cursor: nothing, and the cursor stays.
            let cursor = a["next_cursor"] as? Int ?? -1
            r = try await client.execute(uri: "/v1/directives?after=\(cursor)", method: .get, headers: F.bearer(F.tokens["A"]!))
            XCTAssertEqual((try F.json(r)["directives"] as? [Any])?.count, 0)
            XCTAssertEqual(try F.json(r)["next_cursor"] as? Int, cursor)
            r = try await client.execute(uri: "/v1/directives?wait=61", method: .get, headers: F.bearer(F.tokens["A"]!))
            XCTAssertEqual(r.status, .badRequest)
        }
    }

    func testLongPollReturnsWhenADirectiveIsCreatedDuringTheWait() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            let started = ContinuousClock.now
            async let poll = client.execute(uri: "/v1/directives?after=0&wait=60", method: .get, headers: F.bearer(F.tokens["A"]!))
            // Create the directive only once the poll is really waiting.
            while f.router.bell.waiting == 0 { try await Task.sleep(nanoseconds: 5_000_000) }
            let r = try await client.execute(uri: "/v1/admin/directives", method: .post, headers: F.admin,
                                             body: Self.directiveBody(platform: "A", merchant: "a1"))
            XCTAssertEqual(r.status, .created)
            let answer = try F.json(try await poll)
            XCTAssertEqual((answer["directives"] as? [Any])?.count, 1)
            // Far below the 60 s wait: the poll was woken, not timed out.
            XCTAssertLessThan(ContinuousClock.now - started, .seconds(30))
        }
    }

    func testBellWakesAWaiterAndTimesOutWithoutRing() async throws {
        let bell = DirectiveBell()
        let seen = bell.current
        let timedOut = await bell.wait(since: seen, seconds: 0.01)
        XCTAssertFalse(timedOut)
        async let woken = bell.wait(since: seen, seconds: 60)
        while bell.waiting == 0 { try await Task.sleep(nanoseconds: 1_000_000) }
        bell.ring()
        let rang = await woken
        XCTAssertTrue(rang)
        // A ring between the query and the wait is not slept through.
        let alreadyRang = await bell.wait(since: seen, seconds: 60)
        XCTAssertTrue(alreadyRang)
    }

    func testTwoPlatformsFilingUnderOneUSCCShowInTheMergedProfile() async throws {
        let f = try F(); defer { f.remove() }
        let uscc = "91510100MA6CXXXX01"
        let a = try F.gzip(F.lines([
            F.merchantLine(platform: "A", id: "a-shop", uscc: uscc),
            #"{"type":"licence","platform_id":"A","key":"a-shop|food_business|JY1","uscc":"\#(uscc)","content_hash":"5","data":{"licence_no":"JY1"}}"#,
            #"{"type":"findings","platform_id":"A","key":"a-shop","uscc":"\#(uscc)","content_hash":"6","data":{"current":[{"code":"licence_expired","severity":"serious","message":"许可证过期","basis":"食品安全法","evidence":{}}]}}"#,
        ]))
        let b = try F.gzip(F.lines([
            F.merchantLine(platform: "B", id: "b-shop", uscc: uscc),
            #"{"type":"event","platform_id":"B","key":"E1","uscc":"\#(uscc)","content_hash":"9","data":{"event_id":"E1","event_type":"complaint"}}"#,
        ]))
        try await f.app().test(.router) { client in
            var r = try await client.execute(uri: "/v1/feeds", method: .post, headers: F.signed("A", body: a, key: "1"), body: F.buffer(a))
            XCTAssertEqual(try F.json(r)["accepted"] as? Int, 3)
            r = try await client.execute(uri: "/v1/feeds", method: .post, headers: F.signed("B", body: b, key: "1"), body: F.buffer(b))
            XCTAssertEqual(try F.json(r)["accepted"] as? Int, 2)

            r = try await client.execute(uri: "/v1/admin/merchants/\(uscc)", method: .get, headers: F.admin)
            XCTAssertEqual(r.status, .ok)
            let p = try F.json(r)
            let storefronts = p["storefronts"] as? [[String: Any]] ?? []
            XCTAssertEqual(storefronts.map { $0["platform_id"] as? String }, ["A", "B"])
            XCTAssertEqual((p["licences"] as? [Any])?.count, 1)
            XCTAssertEqual((p["events"] as? [[String: Any]])?.first?["platform_id"] as? String, "B")
            let findings = p["findings"] as? [String: [[String: Any]]]
            XCTAssertEqual(findings?["A"]?.first?["code"] as? String, "licence_expired")
            XCTAssertTrue(p["identity"] is NSNull)

            r = try await client.execute(uri: "/v1/admin/stats", method: .get, headers: F.admin)
            let stats = try F.json(r)
            XCTAssertEqual(stats["merchant_records"] as? Int, 2)
            XCTAssertEqual(stats["distinct_uscc"] as? Int, 1, "one enterprise on two platforms")

            r = try await client.execute(uri: "/v1/admin/merchants/91510100MA6CXXXX99", method: .get, headers: F.admin)
            XCTAssertEqual(r.status, .notFound)
            r = try await client.execute(uri: "/v1/admin/merchants/\(uscc)", method: .get, headers: F.bearer(F.tokens["B"]!))
            XCTAssertEqual(r.status, .forbidden)
        }
    }
}
