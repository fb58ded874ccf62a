import Foundation
import XCTest
@testable import SandboxAgent

/// A `turnover` directive's payload is read strictly: a malformed sum is refused, never read as
/// "no longer over the limit" (which would withdraw the storefront's finding).
final class TurnoverSumPayloadTests: XCTestCase {
    private func payload(_ json: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    func testAGoodSumIsRead() throws {
        let sum = try TurnoverSumPayload(payload(#"{"over": true, "summed_turnover_fen": 11000000, "shops": 2, "limit_fen": 10000000}"#))
        XCTAssertEqual(sum, try TurnoverSumPayload(payload(#"{"over": true, "summed_turnover_fen": 11000000, "shops": 2}"#)))
        XCTAssertEqual(sum.summedFen, 11_000_000)
        XCTAssertEqual(sum.shops, 2)
        XCTAssertTrue(sum.over)
        XCTAssertFalse(try TurnoverSumPayload(payload(#"{"over": false, "summed_turnover_fen": 0, "shops": 2}"#)).over)
    }

    func testAMalformedSumIsRefusedWithWhatIsWrong() throws {
        let cases: [(String, String)] = [
            (#"{"summed_turnover_fen": 1, "shops": 2}"#, "`over`"),
            (#"{"over": "yes", "summed_turnover_fen": 1, "shops": 2}"#, "`over`"),
            (#"{"over": true, "shops": 2}"#, "`summed_turnover_fen`"),
            (#"{"over": true, "summed_turnover_fen": "11000000", "shops": 2}"#, "`summed_turnover_fen`"),
            (#"{"over": true, "summed_turnover_fen": 1.5, "shops": 2}"#, "`summed_turnover_fen`"),
            (#"{"over": true, "summed_turnover_fen": -1, "shops": 2}"#, "`summed_turnover_fen`"),
            (#"{"over": true, "summed_turnover_fen": 1}"#, "`shops`"),
        ]
        for (json, field) in cases {
            XCTAssertThrowsError(try TurnoverSumPayload(payload(json)), json) { error in
                XCTAssertTrue("\(error)".contains(field), "\(json): \(error)")
            }
        }
    }
}
