import Foundation
import Hummingbird

import XCTest
@testable import SandboxRegulator

/// Issue 17 item 5: feed and receipts bodies are streamed, and what they hold together is bounded.
final class IntakeLimitsTests: XCTestCase {
    typealias F = RegulatorFixture

    static func post(_ client: some TestClientProtocol, _ plain: [UInt8], key: String,
                     path: String = "/v1/feeds") async throws -> TestResponse {
        let body = try F.gzip(plain)
        return try await client.execute(uri: path, method: .post, headers: F.signed("A", body: body, path: path, key: key),
                                        body: F.buffer(body))
    }

    /// While other requests hold the budget a batch is 429 with Retry-After, nothing of it applied;
    /// once they are done the same batch goes through.
    func testABatchFindingTheBudgetTakenIs429WithRetryAfter() async throws {
        let f = try F(limits: RegulatorLimits(maxInflightBytes: 16 << 20, retryAfterSeconds: 3)); defer { f.remove() }
        let plain = F.lines((1...50).map { F.merchantLine(platform: "A", id: "m\($0)", uscc: nil) })
        let others = IntakeReservation(budget: f.router.budget)
        try others.grow(by: (16 << 20) - (1 << 20))
        try await f.app().test(.router) { client in
            var r = try await Self.post(client, plain, key: "k1")
            XCTAssertEqual(r.status, .tooManyRequests, F.text(r))
            XCTAssertEqual(r.headers[.retryAfter], "3")
            XCTAssertTrue(F.text(r).contains("send this one again after 3 s"), F.text(r))
            r = try await Self.post(client, F.lines([#"{"receipt_id":"r"}"#]), key: "k1", path: "/v1/receipts")
            XCTAssertEqual(r.status, .tooManyRequests, F.text(r))
            others.release()
            r = try await Self.post(client, plain, key: "k1")
            XCTAssertEqual(r.status, .ok, F.text(r))
            XCTAssertEqual(try F.json(r)["accepted"] as? Int, 50)
        }
        XCTAssertEqual(f.router.budget.inUse, 0, "every request gave its share back")
    }

    /// A batch whose items alone need more than the whole budget can never be taken: 413 (the
    /// agent dead-letters it and says to send smaller batches), not a 429 it would retry forever.
    func testABatchLargerThanTheWholeBudgetIs413() async throws {
        let f = try F(limits: RegulatorLimits(maxInflightBytes: 16 << 20)); defer { f.remove() }
        // 20,000 items of ~1 KB: about 30 MB held once parsed, from ~100 KB of gzip.
        let shop = String(repeating: "店", count: 300)
        let plain = F.lines((1...20_000).map { F.merchantLine(platform: "A", id: "m\($0)", uscc: nil, shop: shop) })
        try await f.app().test(.router) { client in
            let r = try await Self.post(client, plain, key: "k1")
            XCTAssertEqual(r.status, .contentTooLarge, F.text(r))
            XCTAssertTrue(F.text(r).contains("--max-inflight-bytes"), F.text(r))
        }
        XCTAssertEqual(f.router.budget.inUse, 0)
        let stats = try await f.store.read { try $0.stats() }
        XCTAssertEqual(stats.total.batchesAccepted, 0)
    }

    /// A line longer than `maxLineBytes` is a rejected line, skipped without being held; the lines
    /// around it are taken.
    func testALineLongerThanTheBoundIsARejectedLine() async throws {
        let f = try F(limits: RegulatorLimits(maxLineBytes: 4096)); defer { f.remove() }
        let long = F.merchantLine(platform: "A", id: "m2", uscc: nil, shop: String(repeating: "x", count: 5000))
        let plain = F.lines([F.merchantLine(platform: "A", id: "m1", uscc: nil), long, F.merchantLine(platform: "A", id: "m3", uscc: nil)])
        try await f.app().test(.router) { client in
            let r = try await Self.post(client, plain, key: "k1")
            XCTAssertEqual(r.status, .ok, F.text(r))
            let answer = try F.json(r)
            XCTAssertEqual(answer["accepted"] as? Int, 2)
            let rejected = answer["rejected"] as? [[String: Any]] ?? []
            XCTAssertEqual(rejected.first?["line"] as? Int, 2)
            XCTAssertTrue((rejected.first?["reason"] as? String ?? "").contains("longer than 4096 bytes"), "\(rejected)")
        }
    }

    /// A gzip bomb stops at the decompressed bound, read a chunk at a time: 413, nothing held.
    func testAGzipBombIs413AtTheDecompressedBound() async throws {
        let f = try F(limits: RegulatorLimits(maxBodyBytes: 1 << 20)); defer { f.remove() }
        let plain = [UInt8](repeating: 0x20, count: 9 << 20)  // 9 MiB of one blank line: over 8 × 1 MiB
        try await f.app().test(.router) { client in
            let r = try await Self.post(client, plain, key: "k1")
            XCTAssertEqual(r.status, .contentTooLarge, F.text(r))
            XCTAssertTrue(F.text(r).contains("once decompressed"), F.text(r))
        }
        XCTAssertEqual(f.router.budget.inUse, 0)
    }
}
