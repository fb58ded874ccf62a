import XCTest
import SandboxCore
import SandboxPolicy

/// Issue 13 correction 9: a merchant exempt from registration (电子商务法 art. 10) still displays a
/// self-declaration of the exemption and its real address and contact (art. 15; 网络交易监督管理办法
/// art. 12).
final class ExemptMerchantScenarioTests: XCTestCase {
    func person(_ w: PolicyWorld, _ id: String, displays: Bool?) {
        w.addVerifiable(id) {
            $0.record.entityType = .naturalPerson
            $0.record.uscc = nil; $0.record.displayedUSCC = nil; $0.registry = nil
            $0.record.smallScaleDeclared = true; $0.record.annualTurnoverFen = 3_000_000
            $0.record.licenceDisplayed = displays
            $0.record.verifiedAt = Scenario.date("2026-06-20")
        }
        w.verify(id)
    }

    func testExemptMerchantMustShowItsSelfDeclaration() throws {
        let w = PolicyWorld(start: "2026-07-01")
        person(w, "hidden", displays: false)
        person(w, "shown", displays: true)
        person(w, "unsaid", displays: nil)          // an export without the column says nothing
        XCTAssertEqual(w.merchants[w.index("hidden")].findingCodes, [FindingCode.exemptionDeclarationNotDisplayed])
        w.pass()
        XCTAssertEqual(w.caseRules("hidden"), ["RL-13"])
        XCTAssertEqual(w.caseRules("shown"), [])
        XCTAssertEqual(w.caseRules("unsaid"), [])
        let c = try XCTUnwrap(w.onlyCase("hidden", "RL-13"))
        XCTAssertEqual(Scenario.text(c.deadlineDay), "2026-07-11")
        let guidance = try XCTUnwrap(w.instructions(case: c.id).first)
        XCTAssertEqual(guidance.kind, .guidance)
        XCTAssertTrue(guidance.action.contains("自我声明"), guidance.action)
        XCTAssertTrue(guidance.action.contains("实际经营地址、联系方式"), guidance.action)
        XCTAssertTrue(guidance.basis.contains("《网络交易监督管理办法》第十二条"), guidance.basis)

        // Shown within the deadline: rectified, a minor case → 不予行政处罚 recommended.
        w.update("hidden") { $0.record.licenceDisplayed = true }
        w.verify("hidden")
        _ = w.next("2026-07-08")
        let closed = try XCTUnwrap(w.allCases[c.id])
        XCTAssertEqual(closed.state, .rectified)
        XCTAssertEqual(closed.determination?.result, .noPenalty)
    }
}
