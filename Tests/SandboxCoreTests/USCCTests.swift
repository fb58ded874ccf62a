import XCTest
@testable import SandboxCore

final class USCCTests: XCTestCase {
    func testValidCodes() {
        for code in ["91350100M000100Y43", "914403001922038216", "91330100716105852F", "91310000132260250X"] {
            XCTAssertEqual(USCC.check(code), .valid, code)
        }
    }

    func testStandardsInvalidExampleHasAZ() {
        XCTAssertEqual(USCC.check("91350100M000100Y4Z"), .invalid(.character(position: 18, found: "Z")))
    }

    func testWrongCheckCharacter() {
        XCTAssertEqual(USCC.check("914403001922038217"), .invalid(.checkCharacter(expected: "6", found: "7")))
    }

    func testWrongOrganizationCheck() {
        let code = USCC.withCheckCharacter("91350100M000100Y5")!
        XCTAssertEqual(USCC.check(code), .invalid(.organizationCheck(expected: "4", found: "5")))
    }

    func testForbiddenLetters() {
        for (i, c) in ["I", "O", "S", "V", "Z"].enumerated() {
            let code = "9135010" + c + "M000100Y43"
            XCTAssertEqual(USCC.check(code), .invalid(.character(position: 8, found: Character(c))), "case \(i)")
        }
    }

    func testLengths() {
        XCTAssertEqual(USCC.check(""), .invalid(.length(0)))
        XCTAssertEqual(USCC.check("91350100M000100Y4"), .invalid(.length(17)))
        XCTAssertEqual(USCC.check("91350100M000100Y433"), .invalid(.length(19)))
        XCTAssertEqual(USCC.check("91350100M00010"), .invalid(.length(14)))
    }

    func testLegacyFifteenDigits() {
        XCTAssertEqual(USCC.check("510104600123456"), .legacyRegistrationNumber)
        XCTAssertEqual(USCC.check("51010460012345A"), .invalid(.length(15)))
    }

    func testWithCheckCharacterRoundTrip() {
        for code in ["91350100M000100Y43", "914403001922038216", "91330100716105852F", "91310000132260250X"] {
            XCTAssertEqual(USCC.withCheckCharacter(String(code.prefix(17))), code)
        }
        XCTAssertNil(USCC.withCheckCharacter("9135010OM000100Y4"))
        XCTAssertNil(USCC.withCheckCharacter("9135"))
    }

    func testDivisionCode() {
        XCTAssertEqual(USCC.divisionCode("91350100M000100Y43"), "350100")
        XCTAssertNil(USCC.divisionCode("510104600123456"))
    }
}
