import XCTest
@testable import SandboxPolicy

/// Instruction and case ids are made from their bytes (`PolicyPass.identifier`): the same text as
/// the interpolation and padding that made them before, at every number of digits and for any
/// platform id.
final class PolicyIdentifierTests: XCTestCase {
    /// How ids were made until session 41: `42` → `00000042`.
    static func padded(_ n: Int) -> String {
        let s = String(n)
        return s.count >= 8 ? s : String(repeating: "0", count: 8 - s.count) + s
    }

    func testAnIdIsThePlatformTheKindAndTheNumberPaddedToEightDigits() {
        for platform in ["bench", "平台-甲", ""] {
            for kind in ["guidance", "case", "sandbox"] {
                for n in [0, 1, 7, 42, 1_000, 9_999_999, 12_345_678, 99_999_999, 100_000_000, 1_234_567_890, Int(Int32.max)] {
                    XCTAssertEqual(PolicyPass.identifier(platform, kind, n), "\(platform)-\(kind)-" + Self.padded(n))
                }
            }
        }
        XCTAssertEqual(PolicyPass.identifier("bench", "case", 81_685), "bench-case-00081685")
    }
}
