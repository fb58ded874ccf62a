import Foundation
import Hummingbird
import HummingbirdTesting
import XCTest
@testable import SandboxRegulator

/// Issue 17: no body shape can make POST /v1/receipts work quadratically.
final class ReceiptsIntakeTests: XCTestCase {
    typealias F = RegulatorFixture

    /// Item 3: 16,000 lines each with a key of its own took minutes of CPU — the header map was
    /// rebuilt for every new key, and every row was as wide as all keys seen so far.
    func testSixteenThousandLinesWithANewKeyEachAreReadInLinearTime() async throws {
        let f = try F(); defer { f.remove() }
        let plain = F.lines((0..<16_000).map { #"{"k\#($0)":1}"# })
        let body = try F.gzip(plain)
        let started = ContinuousClock.now
        try await f.app().test(.router) { client in
            let r = try await client.execute(uri: "/v1/receipts", method: .post, headers: F.signed("A", body: body),
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
