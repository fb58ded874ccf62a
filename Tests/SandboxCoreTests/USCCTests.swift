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

    /// The check over the code's bytes (session 35) against the rules written out plainly, for
    /// 20,000 codes: valid ones, one character changed anywhere (to the alphabet's, a forbidden
    /// letter's, a lower case one's, a Chinese character), other lengths, multi-byte text.
    func testTheCheckAgreesWithTheRulesWrittenPlainly() {
        func reference(_ code: String) -> USCC.Check {
            let chars = Array(code)
            if chars.count == 15 && chars.allSatisfy({ $0.isASCII && $0.isNumber }) { return .legacyRegistrationNumber }
            guard code.utf8.count == 18 else { return .invalid(.length(chars.count)) }
            let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
            var sum = 0
            for i in 0..<17 {
                guard let v = alphabet.firstIndex(of: chars[i]) else { return .invalid(.character(position: i + 1, found: chars[i])) }
                sum += v * USCC.weights[i]
            }
            guard alphabet.contains(chars[17]) else { return .invalid(.character(position: 18, found: chars[17])) }
            let body = chars[8..<16].map { c -> Int? in
                if let d = c.wholeNumberValue, c.isASCII { return d }
                if let a = c.asciiValue, a >= 0x41, a <= 0x5A { return Int(a - 0x41) + 10 }
                return nil
            }
            if body.allSatisfy({ $0 != nil }) {
                let r = 11 - zip(body, USCC.organizationWeights).map { $0! * $1 }.reduce(0, +) % 11
                let expected: Character = r == 10 ? "X" : r == 11 ? "0" : Character(String(r))
                if expected != chars[16] { return .invalid(.organizationCheck(expected: expected, found: chars[16])) }
            }
            let expected = alphabet[(31 - sum % 31) % 31]
            return expected == chars[17] ? .valid : .invalid(.checkCharacter(expected: expected, found: chars[17]))
        }
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY"), odd: [Character] = ["I", "O", "S", "V", "Z", "a", "成", " "]
        var checked = 0, valid = 0
        for _ in 0..<4_000 {
            var body = String((0..<17).map { _ in alphabet.randomElement(using: &rng)! })
            // A body whose organization code checks, half the time.
            let digits = Array(body)
            if Bool.random(using: &rng), let c = USCC.organizationCheckCharacter(Array(String(digits[8..<16]).utf8)) {
                body = String(digits[0..<16]) + String(UnicodeScalar(c))
            }
            guard let code = USCC.withCheckCharacter(body) else { continue }
            var variants = [code, String(code.prefix(15)), String(code.prefix(17)), code + "0", String(code.dropLast()) + "成"]
            var chars = Array(code)
            let i = Int.random(in: 0..<18, using: &rng)
            chars[i] = Bool.random(using: &rng) ? alphabet.randomElement(using: &rng)! : odd.randomElement(using: &rng)!
            variants.append(String(chars))
            for v in variants {
                XCTAssertEqual(USCC.check(v), reference(v), v)
                checked += 1
                if USCC.check(v) == .valid { valid += 1 }
            }
        }
        XCTAssertGreaterThan(checked, 20_000)
        XCTAssertGreaterThan(valid, 1_000, "valid codes among them")
        XCTAssertEqual(USCC.check("510104600123456"), reference("510104600123456"))
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
