import Foundation
import Hummingbird

import XCTest
@testable import SandboxRegulator

/// Platform sync health (GET /v1/admin/platforms): who is in contact, what each last sent, which
/// directives still wait for a receipt — and the same in /metrics.
final class PlatformHealthTests: XCTestCase {
    typealias F = RegulatorFixture

    func testContactBatchesAndDirectivesAwaitingReceiptPerPlatform() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            func directive(_ platform: String, _ type: String) async throws -> String {
                let body = #"{"platform_id":"\#(platform)","type":"\#(type)","platform_merchant_id":"m1","payload":{"reason":"r"}}"#
                let r = try await client.execute(uri: "/v1/admin/directives", method: .post, headers: F.admin,
                                                 body: F.buffer(Array(body.utf8)))
                XCTAssertEqual(r.status, .created, F.text(r))
                return try F.json(r)["id"] as? String ?? ""
            }
            func platforms(_ query: String = "") async throws -> [String: [String: Any]] {
                let r = try await client.execute(uri: "/v1/admin/platforms" + query, method: .get, headers: F.admin)
                XCTAssertEqual(r.status, .ok, F.text(r))
                let list = try F.json(r)["platforms"] as? [[String: Any]] ?? []
                return Dictionary(uniqueKeysWithValues: list.map { ($0["platform_id"] as? String ?? "", $0) })
            }
            var p = try await platforms()
            XCTAssertEqual(p.keys.sorted(), ["A", "B"], "every platform of the platforms file")
            XCTAssertEqual(p["A"]?["state"] as? String, "never")
            XCTAssertTrue(p["A"]?["last_contact_at"] is NSNull)

            let suspend = try await directive("A", "suspend")
            _ = try await directive("A", "Guidance")      // types compare in lower case
            _ = try await directive("A", "sandbox")       // applied by the agent: no receipt expected
            _ = try await directive("B", "warning")
            let batch = try F.gzip(F.lines([F.merchantLine(platform: "A", id: "m1", uscc: "91510100MA6000008M")]))
            var r = try await client.execute(uri: "/v1/feeds", method: .post, headers: F.signed("A", body: batch, key: "k1"),
                                             body: F.buffer(batch))
            XCTAssertEqual(r.status, .ok, F.text(r))
            r = try await client.execute(uri: "/v1/directives?after=0", method: .get, headers: F.bearer(F.tokens["A"]!))
            XCTAssertEqual(r.status, .ok)
            let receipt = F.lines([#"{"receipt_id":"R1","instruction_id":"\#(suspend)","platform_merchant_id":"m1","action":"executed","at":"2026-07-01T10:00:00+08:00"}"#])
            r = try await client.execute(uri: "/v1/receipts", method: .post, headers: F.signed("A", body: receipt, path: "/v1/receipts", gzip: false),
                                         body: F.buffer(receipt))
            XCTAssertEqual(r.status, .ok, F.text(r))

            p = try await platforms()
            let a = p["A"] ?? [:], b = p["B"] ?? [:]
            XCTAssertEqual(a["state"] as? String, "ok")
            XCTAssertEqual(a["directives_awaiting_receipt"] as? Int, 1, "the guidance; the suspension is answered, sandbox needs none")
            XCTAssertFalse(a["oldest_awaiting_since"] is NSNull)
            XCTAssertEqual(a["batches_accepted"] as? Int, 1)
            XCTAssertEqual(a["items_accepted"] as? Int, 1)
            for key in ["last_batch_at", "last_receipt_at", "last_directive_poll_at", "last_contact_at"] {
                XCTAssertTrue(a[key] is String, "\(key): \(String(describing: a[key]))")
            }
            XCTAssertEqual(b["state"] as? String, "never", "a directive waits for B, but B never called")
            XCTAssertEqual(b["directives_awaiting_receipt"] as? Int, 1)

            r = try await client.execute(uri: "/v1/admin/platforms?silent_after=5", method: .get, headers: F.admin)
            XCTAssertEqual(r.status, .badRequest)
            r = try await client.execute(uri: "/v1/admin/platforms", method: .get, headers: F.bearer(F.tokens["A"]!))
            XCTAssertEqual(r.status, .forbidden)

            r = try await client.execute(uri: "/metrics", method: .get)
            let metrics = F.text(r)
            XCTAssertTrue(metrics.contains("sandbox_regulator_platform_directives_awaiting_receipt{platform_id=\"A\"} 1"), metrics)
            XCTAssertTrue(metrics.contains("sandbox_regulator_platform_last_contact_timestamp_seconds{platform_id=\"B\"} 0"), metrics)
        }
        // Later, with nothing heard: silent.
        let later = try await f.router.platformHealth(now: Timestamp.now() + 3_600, silentAfter: 300)
        XCTAssertEqual(later.map(\.state), ["silent", "never"])
    }
}
