import Foundation
import Hummingbird

import XCTest
@testable import SandboxRegulator

final class FeedEndpointTests: XCTestCase {
    typealias F = RegulatorFixture

    func testHealthzAnswersOK() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            let r = try await client.execute(uri: "/healthz", method: .get)
            XCTAssertEqual(r.status, .ok)
            XCTAssertEqual(try F.json(r)["status"] as? String, "ok")
        }
    }

    func testAuthFailuresAre401AndPlatformOnAdminIs403() async throws {
        let f = try F(); defer { f.remove() }
        let body = try F.gzip(F.lines([F.merchantLine(platform: "A", id: "m1", uscc: nil)]))
        try await f.app().test(.router) { client in
            // No token.
            var h = F.signed("A", body: body, key: "b1"); h[.authorization] = nil
            var r = try await client.execute(uri: "/v1/feeds", method: .post, headers: h, body: F.buffer(body))
            XCTAssertEqual(r.status, .unauthorized)
            XCTAssertTrue(F.text(r).contains("Authorization"), F.text(r))
            // Wrong token.
            r = try await client.execute(uri: "/v1/feeds", method: .post,
                                         headers: F.signed("A", body: body, key: "b1", token: "nope"), body: F.buffer(body))
            XCTAssertEqual(r.status, .unauthorized)
            XCTAssertTrue(F.text(r).contains("token"), F.text(r))
            // Wrong signature: B's secret on A's token.
            r = try await client.execute(uri: "/v1/feeds", method: .post,
                                         headers: F.signed("A", body: body, key: "b1", secret: F.secrets["B"]!), body: F.buffer(body))
            XCTAssertEqual(r.status, .unauthorized)
            XCTAssertTrue(F.text(r).contains("Signature"), F.text(r))
            XCTAssertFalse(F.text(r).contains(F.secrets["A"]!) || F.text(r).contains(F.secrets["B"]!))
            // Missing signature.
            h = F.signed("A", body: body, key: "b1"); h[Authenticator.signatureHeader] = nil
            r = try await client.execute(uri: "/v1/feeds", method: .post, headers: h, body: F.buffer(body))
            XCTAssertEqual(r.status, .unauthorized)
            // A platform token on the staff side.
            r = try await client.execute(uri: "/v1/admin/stats", method: .get, headers: F.bearer(F.tokens["A"]!))
            XCTAssertEqual(r.status, .forbidden)
            r = try await client.execute(uri: "/v1/admin/stats", method: .get)
            XCTAssertEqual(r.status, .unauthorized)
        }
        let stats = try await f.store.read { try $0.stats() }
        XCTAssertEqual(stats.total.batchesAccepted, 0, "nothing refused may be applied")
    }

    func testGzipFeedIsAcceptedCountedAndReplayIsDuplicate() async throws {
        let f = try F(); defer { f.remove() }
        let body = try F.gzip(F.lines([
            F.merchantLine(platform: "A", id: "m1", uscc: "91510100MA6CXXXX01"),
            F.merchantLine(platform: "A", id: "m2", uscc: "91510100MA6CXXXX02"),
        ]))
        try await f.app().test(.router) { client in
            var r = try await client.execute(uri: "/v1/feeds", method: .post,
                                             headers: F.signed("A", body: body, key: "batch-1"), body: F.buffer(body))
            XCTAssertEqual(r.status, .ok)
            var answer = try F.json(r)
            XCTAssertEqual(answer["accepted"] as? Int, 2)
            XCTAssertEqual(answer["duplicate"] as? Bool, false)
            XCTAssertEqual(answer["batch"] as? String, "batch-1")

            r = try await client.execute(uri: "/v1/feeds", method: .post,
                                         headers: F.signed("A", body: body, key: "batch-1"), body: F.buffer(body))
            XCTAssertEqual(r.status, .ok)
            answer = try F.json(r)
            XCTAssertEqual(answer["duplicate"] as? Bool, true)
            XCTAssertEqual(answer["accepted"] as? Int, 2)

            r = try await client.execute(uri: "/v1/admin/stats", method: .get, headers: F.admin)
            XCTAssertEqual(r.status, .ok)
            let stats = try F.json(r)
            XCTAssertEqual(stats["merchant_records"] as? Int, 2)
            XCTAssertEqual(stats["distinct_uscc"] as? Int, 2)
            XCTAssertEqual(stats["batches_accepted"] as? Int, 1)
            XCTAssertEqual(stats["batches_duplicate"] as? Int, 1)
            XCTAssertEqual(stats["items_accepted"] as? Int, 2, "a replay must not count items twice")
            let a = (stats["platforms"] as? [String: Any])?["A"] as? [String: Any]
            XCTAssertEqual(a?["merchant_records"] as? Int, 2)
        }
    }

    func testSameKeyWithAnotherBodyIs409() async throws {
        let f = try F(); defer { f.remove() }
        let one = try F.gzip(F.lines([F.merchantLine(platform: "A", id: "m1", uscc: nil)]))
        let two = try F.gzip(F.lines([F.merchantLine(platform: "A", id: "m2", uscc: nil)]))
        try await f.app().test(.router) { client in
            var r = try await client.execute(uri: "/v1/feeds", method: .post, headers: F.signed("A", body: one, key: "k"), body: F.buffer(one))
            XCTAssertEqual(r.status, .ok)
            r = try await client.execute(uri: "/v1/feeds", method: .post, headers: F.signed("A", body: two, key: "k"), body: F.buffer(two))
            XCTAssertEqual(r.status, .conflict)
            // The key is the platform's own: B may use the same batch id.
            r = try await client.execute(uri: "/v1/feeds", method: .post,
                                         headers: F.signed("B", body: try F.gzip(F.lines([F.merchantLine(platform: "B", id: "m2", uscc: nil)])), key: "k"),
                                         body: F.buffer(try F.gzip(F.lines([F.merchantLine(platform: "B", id: "m2", uscc: nil)]))))
            XCTAssertEqual(r.status, .ok)
        }
        let stats = try await f.store.read { try $0.stats() }
        XCTAssertEqual(stats.platforms["A"]?.merchantRecords, 1)
    }

    func testTooLargeIs413BothCompressedAndDecompressed() async throws {
        let f = try F(maxBodyBytes: 400); defer { f.remove() }
        let big = Array(String(repeating: "x", count: 2000).utf8)
        // Compresses to far below 400 bytes but inflates past 8 × 400.
        let bomb = try F.gzip(F.lines([F.merchantLine(platform: "A", id: "m1", uscc: nil, shop: String(repeating: "y", count: 5000))]))
        XCTAssertLessThan(bomb.count, 400)
        try await f.app().test(.router) { client in
            var r = try await client.execute(uri: "/v1/feeds", method: .post, headers: F.signed("A", body: big, key: "k"), body: F.buffer(big))
            XCTAssertEqual(r.status, .contentTooLarge)
            r = try await client.execute(uri: "/v1/feeds", method: .post, headers: F.signed("A", body: bomb, key: "k"), body: F.buffer(bomb))
            XCTAssertEqual(r.status, .contentTooLarge)
            XCTAssertTrue(F.text(r).contains("decompressed"), F.text(r))
        }
    }

    func testBadGzipIs400() async throws {
        let f = try F(); defer { f.remove() }
        let full = try F.gzip(F.lines([F.merchantLine(platform: "A", id: "m1", uscc: nil)]))
        let body = Array(full.dropLast(12))  // cut off: truncated stream
        let garbage: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        try await f.app().test(.router) { client in
            for b in [body, garbage, Array("plain text".utf8)] {
                let r = try await client.execute(uri: "/v1/feeds", method: .post, headers: F.signed("A", body: b, key: "k"), body: F.buffer(b))
                XCTAssertEqual(r.status, .badRequest, F.text(r))
            }
        }
    }

    func testBadLinesAreRejectedWhileGoodLinesGoOn() async throws {
        let f = try F(); defer { f.remove() }
        let body = try F.gzip(F.lines([
            F.merchantLine(platform: "A", id: "m1", uscc: nil),
            "not json",
            F.merchantLine(platform: "B", id: "m2", uscc: nil),
            #"{"type":"shop","platform_id":"A","key":"x","content_hash":"1","data":{}}"#,
            F.merchantLine(platform: "A", id: "m3", uscc: "bad uscc"),
            F.merchantLine(platform: "A", id: "m4", uscc: nil),
        ]))
        try await f.app().test(.router) { client in
            let r = try await client.execute(uri: "/v1/feeds", method: .post, headers: F.signed("A", body: body, key: "k"), body: F.buffer(body))
            XCTAssertEqual(r.status, .ok)
            let answer = try F.json(r)
            XCTAssertEqual(answer["accepted"] as? Int, 2)
            let rejected = answer["rejected"] as? [[String: Any]] ?? []
            XCTAssertEqual(rejected.map { $0["line"] as? Int }, [2, 3, 4, 5])
            XCTAssertTrue((rejected[1]["reason"] as? String ?? "").contains("authenticated platform"))
        }
        let stats = try await f.store.read { try $0.stats() }
        XCTAssertEqual(stats.total.itemsRejected, 4)
        XCTAssertEqual(stats.total.merchantRecords, 2)
    }

    func testUnchangedContentHashWritesNothing() async throws {
        let f = try F(); defer { f.remove() }
        let items = [FeedItem(kind: .merchant, platformID: "A", key: "m1", uscc: nil, contentHash: "7", dataJSON: "{\"v\":1}")]
        _ = try await f.store.write { try $0.applyFeed(platformID: "A", batchKey: "1", bodyDigest: "d1", items: items, rejected: RejectedLines(), now: 100) }
        var same = items; same[0].dataJSON = "{\"v\":2}"
        _ = try await f.store.write { [same] s in try s.applyFeed(platformID: "A", batchKey: "2", bodyDigest: "d2", items: same, rejected: RejectedLines(), now: 200) }
        let stored = try await f.store.read { try $0.storedRecord(platformID: "A", kind: .merchant, key: "m1") }
        XCTAssertEqual(stored?.data, .object(["v": .int(1)]), "an equal content_hash must not rewrite the record")
        XCTAssertEqual(stored?.updatedAt, "1970-01-01T00:01:40Z")
    }
}
