import Foundation
import Hummingbird

import XCTest
@testable import SandboxRegulator

/// Issue 17: POST /v1/receipts takes receipts only for the posting platform's instructions, and
/// no body shape can make it work quadratically.
final class ReceiptsIntakeTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias P = PolicyItems

    static func receipt(_ id: String, instruction: String, merchant: String = "m1") -> String {
        #"{"receipt_id":"\#(id)","instruction_id":"\#(instruction)","platform_merchant_id":"\#(merchant)","action":"executed","at":"2026-07-01T10:00:00+08:00"}"#
    }

    static func directive(_ client: some TestClientProtocol, platform: String) async throws -> String {
        let body = F.buffer(Array(#"{"platform_id":"\#(platform)","type":"suspend","platform_merchant_id":"m1","payload":{"reason":"r"}}"#.utf8))
        let r = try await client.execute(uri: "/v1/admin/directives", method: .post, headers: F.admin, body: body)
        XCTAssertEqual(r.status, .created)
        return try F.json(r)["id"] as? String ?? ""
    }

    /// Item 5: a receipt was filed for any instruction id — another platform's directive, or
    /// none at all — so a platform could mark B's suspension as carried out.
    func testReceiptsAreTakenOnlyForThePlatformsOwnInstructions() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            let forA = try await Self.directive(client, platform: "A")
            let forB = try await Self.directive(client, platform: "B")
            // A's agent issued instruction I-A-1 itself (an `instruction` feed item); B issued I-B-1.
            let instruction = { (platform: String, id: String) in
                P.line("instruction", platform: platform, key: id, uscc: nil, data: ["instruction_id": id, "receipt_state": "awaiting"])
            }
            var (status, _) = try await P.post(client, platform: "A", key: "a1", [instruction("A", "I-A-1")])
            XCTAssertEqual(status, .ok)
            (status, _) = try await P.post(client, platform: "B", key: "b1", [instruction("B", "I-B-1")])
            XCTAssertEqual(status, .ok)

            let plain = F.lines([
                Self.receipt("R1", instruction: forA),       // A's directive: taken
                Self.receipt("R2", instruction: forB),       // B's directive: refused
                Self.receipt("R3", instruction: "dir-none"), // nothing: refused
                Self.receipt("R4", instruction: "I-A-1"),    // A's own instruction: taken
                Self.receipt("R5", instruction: "I-B-1"),    // B's instruction: refused
            ])
            let r = try await client.execute(uri: "/v1/receipts", method: .post, headers: F.signed("A", body: plain, path: "/v1/receipts", gzip: false),
                                             body: F.buffer(plain))
            XCTAssertEqual(r.status, .ok, F.text(r))
            let answer = try F.json(r)
            XCTAssertEqual(answer["accepted"] as? Int, 2)
            let rejected = answer["rejected"] as? [[String: Any]] ?? []
            XCTAssertEqual(rejected.map { $0["line"] as? Int }, [2, 3, 5])
            XCTAssertTrue((rejected.first?["reason"] as? String ?? "").contains("not an instruction to this platform"), "\(rejected)")

            let status2 = try await client.execute(uri: "/v1/admin/directives/\(forB)", method: .get, headers: F.admin)
            XCTAssertEqual((try F.json(status2)["receipts"] as? [Any])?.count, 0, "A's receipt must not close B's directive")
        }
        let count = try await f.store.write { try $0.receiptCount(platformID: "A") }
        XCTAssertEqual(count, 2)
    }

    /// Item 3: 16,000 lines each with a key of its own took minutes of CPU — the header map was
    /// rebuilt for every new key, and every row was as wide as all keys seen so far.
    func testSixteenThousandLinesWithANewKeyEachAreReadInLinearTime() async throws {
        let f = try F(); defer { f.remove() }
        let plain = F.lines((0..<16_000).map { #"{"k\#($0)":1}"# })
        let body = try F.gzip(plain)
        let started = ContinuousClock.now
        try await f.app().test(.router) { client in
            let r = try await client.execute(uri: "/v1/receipts", method: .post, headers: F.signed("A", body: body, path: "/v1/receipts"),
                                             body: F.buffer(body))
            XCTAssertEqual(r.status, .ok, F.text(r))
            let answer = try F.json(r)
            XCTAssertEqual(answer["accepted"] as? Int, 0)
        }
        let elapsed = ContinuousClock.now - started
        // Generous, so a loaded machine does not flake: it took minutes before, well under 1 s now.
        XCTAssertLessThan(elapsed, .seconds(10), "16,000 receipt lines took \(elapsed)")
    }
}
