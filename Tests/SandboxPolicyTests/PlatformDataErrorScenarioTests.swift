import XCTest
import SandboxCore
import SandboxPolicy

/// Issue 13 correction 8: a platform's own data errors — a check character keyed wrong while the
/// registry holds the right code, a verification overdue — are the platform's, not the merchant's.
final class PlatformDataErrorScenarioTests: XCTestCase {
    /// 91510104000000000X with its check character keyed wrong by the platform.
    func miskeyed(_ right: String) -> String {
        let wrong = right.last == "0" ? "1" : "0"
        return String(right.dropLast()) + wrong
    }

    func testMiskeyedCodeIsAddressedToThePlatform() throws {
        let w = PolicyWorld(start: "2026-07-01")
        w.addVerifiable("m") {
            let right = $0.record.uscc!
            $0.record.uscc = self.miskeyed(right)          // the platform's file
            $0.record.displayedUSCC = right                // the storefront shows the registry's code
            $0.record.verifiedAt = Scenario.date("2026-06-20")
        }
        w.verify("m")
        XCTAssertEqual(w.merchants[0].findingCodes, [FindingCode.usccMiskeyed], "not USCC_CHECK_CHARACTER, not DISPLAYED_USCC_MISMATCH")
        w.pass()
        XCTAssertEqual(w.caseRules("m"), ["RL-09"], "no RL-03 against the merchant")
        let c = try XCTUnwrap(w.onlyCase("m", "RL-09"))
        XCTAssertEqual(c.rule.addressee, .platform)
        XCTAssertEqual(w.state("m").riskClass, .a, "the platform's error does not weigh on the merchant's class")
        XCTAssertEqual(w.state("m").points, 0)
        w.advance(to: "2026-09-30")
        XCTAssertFalse(w.kinds(case: c.id).contains(.suspend), "the merchant is never suspended for it")
    }

    /// The platform renders the licence page from its own file: the same wrong code on the
    /// storefront is still the platform's error, not a display the merchant failed to update.
    func testThePlatformsWrongCodeOnTheStorefrontIsStillThePlatforms() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addVerifiable("m") {
            $0.record.uscc = self.miskeyed($0.record.uscc!)
            $0.record.displayedUSCC = $0.record.uscc
            $0.record.verifiedAt = Scenario.date("2026-06-20")
        }
        w.verify("m")
        XCTAssertEqual(w.merchants[0].findingCodes, [FindingCode.usccMiskeyed])
        w.pass()
        XCTAssertEqual(w.caseRules("m"), ["RL-09"])
    }

    func testAWrongCodeTheRegistryDoesNotHoldStaysTheMerchants() throws {
        let w = PolicyWorld(start: "2026-07-01")
        w.addVerifiable("m") {
            $0.record.uscc = self.miskeyed($0.record.uscc!)
            $0.record.displayedUSCC = $0.record.uscc
            $0.record.verifiedAt = Scenario.date("2026-06-20")
            $0.registry = nil                              // no entry under the corrected code either
        }
        w.verify("m")
        XCTAssertEqual(w.merchants[0].findingCodes, [FindingCode.usccCheckCharacter])
        w.pass()
        XCTAssertEqual(w.onlyCase("m", "RL-03")?.rule.addressee, .merchant)
    }

    func testVerificationOverdueDoesNotWeighOnTheMerchant() throws {
        let w = PolicyWorld(start: "2026-07-01")
        w.addVerifiable("m") { $0.record.verifiedAt = Scenario.date("2025-12-01") }   // 6 months ran out on 2026-06-01
        w.verify("m")
        XCTAssertEqual(w.merchants[0].findingCodes, [FindingCode.platformVerificationOverdue])
        w.pass()
        XCTAssertEqual(w.caseRules("m"), ["RL-09"])
        XCTAssertEqual(w.onlyCase("m")?.rule.addressee, .platform)
        XCTAssertEqual(w.state("m").riskClass, .a)
        XCTAssertEqual(w.state("m").points, 0, "IND-D7 is gone: no points for the platform's overdue duty")
    }
}
