import Foundation
import Hummingbird

import XCTest
@testable import SandboxRegulator

/// Issue 17 item 7: a captured signed batch posted again must not roll a record back. The
/// signature covers the Idempotency-Key, a timestamp and the body (a new key breaks it, an old
/// timestamp is refused), and no older version of a record ever replaces a newer one.
final class ReplayTests: XCTestCase {
    typealias F = RegulatorFixture

    static func merchant(_ shop: String, hash: String, version: Int?) -> String {
        let v = version.map { #","version":\#($0)"# } ?? ""
        return #"{"type":"merchant","platform_id":"A","key":"m1","content_hash":"\#(hash)"\#(v),"data":{"platform_merchant_id":"m1","shop_name":"\#(shop)"}}"#
    }

    static func storedShop(_ f: F) async throws -> String? {
        try await f.store.read { try $0.storedRecord(platformID: "A", kind: .merchant, key: "m1") }?.data["shop_name"]?.stringValue
    }

    func testACapturedBatchPostedAgainUnderANewKeyIsRefused() async throws {
        let f = try F(); defer { f.remove() }
        let old = try F.gzip(F.lines([Self.merchant("旧店名", hash: "1", version: 100)]))
        let new = try F.gzip(F.lines([Self.merchant("新店名", hash: "2", version: 200)]))
        let captured = F.signed("A", body: old, key: "k1")
        try await f.app().test(.router) { client in
            var r = try await client.execute(uri: "/v1/feeds", method: .post, headers: captured, body: F.buffer(old))
            XCTAssertEqual(r.status, .ok)
            r = try await client.execute(uri: "/v1/feeds", method: .post, headers: F.signed("A", body: new, key: "k2"), body: F.buffer(new))
            XCTAssertEqual(r.status, .ok)
            // The attacker has the first request's headers and body, and gives it a key of its own.
            var replay = captured
            replay[RegulatorRouter.idempotencyKey] = "k1-again"
            r = try await client.execute(uri: "/v1/feeds", method: .post, headers: replay, body: F.buffer(old))
            XCTAssertEqual(r.status, .unauthorized, F.text(r))
            XCTAssertTrue(F.text(r).contains("X-Sandbox-Signature"), F.text(r))
            // The same request under its own key is a harmless duplicate.
            r = try await client.execute(uri: "/v1/feeds", method: .post, headers: captured, body: F.buffer(old))
            XCTAssertEqual(try F.json(r)["duplicate"] as? Bool, true, F.text(r))
        }
        let shop = try await Self.storedShop(f)
        XCTAssertEqual(shop, "新店名", "the older record came back")
    }

    static func post(_ client: some TestClientProtocol, _ key: String, _ line: String) async throws {
        let body = try F.gzip(F.lines([line]))
        let r = try await client.execute(uri: "/v1/feeds", method: .post, headers: F.signed("A", body: body, key: key), body: F.buffer(body))
        XCTAssertEqual(r.status, .ok, F.text(r))
        XCTAssertEqual(try F.json(r)["accepted"] as? Int, 1, "a stale item is taken, and changes nothing")
    }

    func testAnOlderVersionOfARecordNeverReplacesANewerOne() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await Self.post(client, "k1", Self.merchant("v200", hash: "2", version: 200))
            // A late batch (a requeued dead letter, a replay) with an older version: ignored.
            try await Self.post(client, "k2", Self.merchant("v100", hash: "1", version: 100))
            var shop = try await Self.storedShop(f)
            XCTAssertEqual(shop, "v200")
            // No version at all cannot replace a versioned record either.
            try await Self.post(client, "k3", Self.merchant("none", hash: "3", version: nil))
            shop = try await Self.storedShop(f)
            XCTAssertEqual(shop, "v200")
            try await Self.post(client, "k4", Self.merchant("v300", hash: "4", version: 300))
            shop = try await Self.storedShop(f)
            XCTAssertEqual(shop, "v300")
            // Back to v200's content as version 400: unchanged content, but the version moves on,
            // so the v350 that follows is older than what is stored.
            try await Self.post(client, "k5", Self.merchant("v300", hash: "4", version: 400))
            try await Self.post(client, "k6", Self.merchant("v350", hash: "5", version: 350))
            shop = try await Self.storedShop(f)
            XCTAssertEqual(shop, "v300")
        }
    }

    func testAStaleOrMissingTimestampAndAnotherPathAreRefused() async throws {
        let f = try F(); defer { f.remove() }
        let body = try F.gzip(F.lines([Self.merchant("店", hash: "1", version: 1)]))
        let now = Int64(Date().timeIntervalSince1970)
        try await f.app().test(.router) { client in
            // Captured ten minutes ago, or stamped by a clock ten minutes fast.
            for (stamp, word) in [(now - 600, "behind"), (now + 600, "ahead of")] {
                let r = try await client.execute(uri: "/v1/feeds", method: .post,
                                                 headers: F.signed("A", body: body, key: "k-\(stamp)", timestamp: stamp), body: F.buffer(body))
                XCTAssertEqual(r.status, .unauthorized, F.text(r))
                XCTAssertTrue(F.text(r).contains("\(word) the regulator's clock") && F.text(r).contains("NTP"), F.text(r))
            }
            var h = F.signed("A", body: body, key: "k1")
            h[Authenticator.timestampHeader] = nil
            var r = try await client.execute(uri: "/v1/feeds", method: .post, headers: h, body: F.buffer(body))
            XCTAssertEqual(r.status, .unauthorized)
            XCTAssertTrue(F.text(r).contains("X-Sandbox-Timestamp"), F.text(r))
            // Signed for one endpoint, posted to another.
            r = try await client.execute(uri: "/v1/receipts", method: .post,
                                         headers: F.signed("A", body: body, path: "/v1/feeds", key: "k1"), body: F.buffer(body))
            XCTAssertEqual(r.status, .unauthorized, F.text(r))
            // Within the window: taken.
            r = try await client.execute(uri: "/v1/feeds", method: .post,
                                         headers: F.signed("A", body: body, key: "k1", timestamp: now - 60), body: F.buffer(body))
            XCTAssertEqual(r.status, .ok, F.text(r))
        }
        let stats = try await f.store.read { try $0.stats() }
        XCTAssertEqual(stats.total.batchesAccepted, 1)
    }
}
