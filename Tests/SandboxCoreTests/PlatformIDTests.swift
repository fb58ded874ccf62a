import SandboxCore
import XCTest

final class PlatformIDTests: XCTestCase {
    func testOnlySafeCharactersOfTheRightLength() {
        for ok in ["p", "demo-platform", "taobao_cd", "A1-b2_C3", String(repeating: "x", count: 64)] {
            XCTAssertTrue(PlatformID.isValid(ok), ok)
        }
        for bad in ["", String(repeating: "x", count: 65), "a b", "../etc", "a/b", "平台", "a.b", "a\0b"] {
            XCTAssertFalse(PlatformID.isValid(bad), bad)
        }
    }
}
