import Foundation
import Hummingbird

import XCTest
@testable import SandboxRegulator

/// Issue 17: what one batch may cost the regulator.
final class FeedLimitsTests: XCTestCase {
    typealias F = RegulatorFixture

    static func post(_ client: some TestClientProtocol, _ plain: [UInt8], key: String) async throws -> TestResponse {
        let body = try F.gzip(plain)
        return try await client.execute(uri: "/v1/feeds", method: .post, headers: F.signed("A", body: body, key: key),
                                        body: F.buffer(body))
    }

    /// Item 4: every rejected line was listed in the answer and the answer kept in the database,
    /// so a few KB of gzip made a 91 MB row. Now the first 100 are listed, with the total.
    func testRejectedLinesAreListedUpToAHundredWithTheirTotal() async throws {
        let f = try F(); defer { f.remove() }
        let plain = F.lines([F.merchantLine(platform: "A", id: "m1", uscc: nil)] + Array(repeating: "junk", count: 5_000))
        try await f.app().test(.router) { client in
            var r = try await Self.post(client, plain, key: "k1")
            XCTAssertEqual(r.status, .ok, F.text(r))
            var answer = try F.json(r)
            XCTAssertEqual(answer["accepted"] as? Int, 1)
            XCTAssertEqual(answer["rejected_count"] as? Int, 5_000)
            let listed = answer["rejected"] as? [[String: Any]] ?? []
            XCTAssertEqual(listed.count, 100)
            XCTAssertEqual(listed.first?["line"] as? Int, 2)
            XCTAssertEqual(listed.last?["line"] as? Int, 101)
            XCTAssertLessThan(r.body.readableBytes, 10_000)
            // The replay answers the stored answer: the same bound.
            r = try await Self.post(client, plain, key: "k1")
            answer = try F.json(r)
            XCTAssertEqual(answer["duplicate"] as? Bool, true)
            XCTAssertEqual(answer["rejected_count"] as? Int, 5_000)
            XCTAssertEqual((answer["rejected"] as? [Any])?.count, 100)
        }
        let stats = try await f.store.read { try $0.stats() }
        XCTAssertEqual(stats.total.itemsRejected, 5_000, "every rejected line is still counted")
    }

    /// Item 4: lines per batch are bounded (the agent sends at most batch_max_records ≤ 100,000).
    func testABatchOfMoreThanAHundredThousandLinesIs413() async throws {
        let f = try F(); defer { f.remove() }
        let plain = Array(String(repeating: "x\n", count: 100_001).utf8)
        try await f.app().test(.router) { client in
            let r = try await Self.post(client, plain, key: "k1")
            XCTAssertEqual(r.status, .contentTooLarge, F.text(r))
            XCTAssertTrue(F.text(r).contains("100000 lines"), F.text(r))
            let receipts = try await client.execute(uri: "/v1/receipts", method: .post,
                                                    headers: F.signed("A", body: plain, path: "/v1/receipts", gzip: false), body: F.buffer(plain))
            XCTAssertEqual(receipts.status, .contentTooLarge, F.text(receipts))
        }
        let stats = try await f.store.read { try $0.stats() }
        XCTAssertEqual(stats.total.batchesAccepted, 0)
    }

    /// Posts `plain` as one batch, checks it was taken with `accepted` lines, and gives the
    /// rejected lines it lists.
    static func rejected(_ client: some TestClientProtocol, _ plain: [UInt8], accepted: Int,
                         file: StaticString = #filePath, line: UInt = #line) async throws -> [[String: Any]] {
        let r = try await post(client, plain, key: "k1")
        XCTAssertEqual(r.status, .ok, F.text(r), file: file, line: line)
        let answer = try F.json(r)
        XCTAssertEqual(answer["accepted"] as? Int, accepted, file: file, line: line)
        return answer["rejected"] as? [[String: Any]] ?? []
    }

    static func merchant(_ key: String, shop: String, hash: String = "1") -> String {
        #"{"type":"merchant","platform_id":"A","key":"\#(key)","content_hash":"\#(hash)","data":{"platform_merchant_id":"\#(key)","shop_name":"\#(shop)"}}"#
    }

    /// Item 9: a lone surrogate escape in `data` was stored as sent (`data` is kept as raw bytes)
    /// and then read back as `data: null` everywhere.
    func testALoneSurrogateInDataIsARejectedLine() async throws {
        let f = try F(); defer { f.remove() }
        let plain = F.lines([
            Self.merchant("m1", shop: #"\ud800"#),
            Self.merchant("m2", shop: #"\udc00x"#),
            Self.merchant("m3", shop: #"\ud800\u0041"#),
            Self.merchant("m4", shop: #"\ud83d\ude00"#),                          // a real pair: fine
        ])
        try await f.app().test(.router) { client in
            let rejected = try await Self.rejected(client, plain, accepted: 1)
            XCTAssertEqual(rejected.map { $0["line"] as? Int }, [1, 2, 3])
            XCTAssertTrue(rejected.allSatisfy { ($0["reason"] as? String ?? "").contains("surrogate") }, "\(rejected)")
        }
        let pair = try await f.store.read { try $0.storedRecord(platformID: "A", kind: .merchant, key: "m4") }
        XCTAssertEqual(pair?.data["shop_name"], .string("😀"))
        let lone = try await f.store.read { try $0.storedRecord(platformID: "A", kind: .merchant, key: "m1") }
        XCTAssertNil(lone)
    }

    /// Item 9: `content_hash` had no length limit; it is a 64-bit hash in decimal (20 digits), so
    /// 40 leaves room for a 128-bit one and no more.
    func testAContentHashOfMoreThanFortyDigitsIsARejectedLine() async throws {
        let f = try F(); defer { f.remove() }
        let plain = F.lines([
            Self.merchant("m1", shop: "ok", hash: String(repeating: "9", count: 41)),
            Self.merchant("m2", shop: "ok", hash: String(repeating: "9", count: 40)),
            Self.merchant("m3", shop: "ok", hash: String(repeating: "1", count: 100_000)),
        ])
        try await f.app().test(.router) { client in
            let rejected = try await Self.rejected(client, plain, accepted: 1)
            XCTAssertEqual(rejected.map { $0["line"] as? Int }, [1, 3])
            XCTAssertTrue((rejected.first?["reason"] as? String ?? "").contains("1…40 digits"), "\(rejected)")
        }
    }
}
