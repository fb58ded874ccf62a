import XCTest
@testable import SandboxCore

/// Who counts as registered locally (issue 13 correction 10): the rule the regulator's roster and
/// the agents' ADM-08 share.
final class LocalRegistrationTests: XCTestCase {
    func testDivisionPrefixesOfTheRegistrationAuthority() {
        let chengdu = LocalRegistration(divisions: ["5101"])
        XCTAssertTrue(chengdu.holds(uscc: "915101040000000001"))             // 锦江区
        XCTAssertTrue(chengdu.holds(uscc: "92510131MA6D0L1Q6H"))             // 蒲江县, a 个体工商户
        XCTAssertFalse(chengdu.holds(uscc: "915106000000000001"))            // 德阳
        XCTAssertFalse(chengdu.holds(uscc: "91350100M000100Y43"))            // 福州
        XCTAssertEqual(chengdu.reason(uscc: "91350100M000100Y43"), "registered in division 350100, not locally (5101)")
        XCTAssertTrue(LocalRegistration(divisions: ["510104", "5106"]).holds(uscc: "915106000000000001"))
        // Eighteen bytes that are not eighteen characters (the rule reads bytes): no division.
        XCTAssertFalse(chengdu.holds(uscc: "严记家居百货"))
    }

    func testNoDivisionsMeansAnywhereButNeverAFifteenDigitNumberWhenAsked() {
        XCTAssertTrue(LocalRegistration(divisions: []).holds(uscc: "91350100M000100Y43"))
        XCTAssertTrue(LocalRegistration(divisions: []).holds(uscc: "510104600123456"))
        XCTAssertFalse(LocalRegistration(divisions: ["5101"]).holds(uscc: "510104600123456"), "no division in a registration number")
        XCTAssertEqual(LocalRegistration(divisions: ["5101"]).reason(uscc: "510104600123456"),
                       "registered in division , not locally (5101)")
    }
}
