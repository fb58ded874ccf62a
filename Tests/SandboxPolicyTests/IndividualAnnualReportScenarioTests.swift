import XCTest
import SandboxCore
import SandboxPolicy

/// Issue 13 correction 6: a 个体工商户's annual report follows its own rules (实施细则 art. 63:
/// paper filing allowed, publicity optional, 标记为经营异常状态 rather than listed).
final class IndividualAnnualReportScenarioTests: XCTestCase {
    func world(start: String) -> PolicyWorld {
        let w = PolicyWorld(start: start)
        for (id, type) in [("ent", EntityType.enterprise), ("ind", .individualBusiness)] {
            w.addVerifiable(id) {
                $0.record.entityType = type
                $0.record.verifiedAt = Scenario.date(start)
                $0.registry?.lastAnnualReportYear = 2024          // 2025's report not filed
            }
            w.verify(id)
        }
        return w
    }

    func prompts(_ w: PolicyWorld, _ id: String) -> [String] {
        w.promptLog.filter { $0.issue.merchantID == id }.map(\.issue.promptID)
    }

    func testPromptsTellEachEntityTypeItsOwnRules() throws {
        let w = world(start: "2026-01-05")
        w.pass()
        w.advance(to: "2026-06-02")
        XCTAssertEqual(prompts(w, "ent"), ["PR-01", "PR-02"])
        XCTAssertEqual(prompts(w, "ind"), ["PR-06", "PR-07"])
        for id in ["PR-06", "PR-07"] {
            let p = try XCTUnwrap(w.pack.prompt(id))
            XCTAssertTrue(p.text.contains("纸质"), id)
            XCTAssertTrue(p.text.contains("自主选择"), id)
            XCTAssertTrue(p.text.contains("标记为经营异常状态"), id)
            XCTAssertFalse(p.text.contains("经营异常名录"), id)
            XCTAssertTrue(p.basis.contains("《市场主体登记管理条例实施细则》第六十三条"), id)
        }
        XCTAssertTrue(try XCTUnwrap(w.pack.prompt("PR-01")).text.contains("列入经营异常名录"))
    }

    func testAfterTheDeadlineEachGetsItsOwnCase() throws {
        let w = world(start: "2026-07-01")
        XCTAssertTrue(w.merchants.allSatisfy { $0.findingCodes == [FindingCode.annualReportMissing] })
        w.pass()
        XCTAssertEqual(w.caseRules("ent"), ["RL-10"])
        XCTAssertEqual(w.caseRules("ind"), ["RL-12"])
        let guidance = try XCTUnwrap(w.instructions(case: try XCTUnwrap(w.onlyCase("ind")).id).first)
        XCTAssertEqual(guidance.kind, .guidance)
        XCTAssertTrue(guidance.action.contains("纸质方式"), guidance.action)
        XCTAssertTrue(guidance.action.contains("标记为经营异常状态"), guidance.action)
        XCTAssertEqual(guidance.basis, "《市场主体登记管理条例实施细则》第六十三条；《个体工商户年度报告暂行办法》")
        let ent = try XCTUnwrap(w.instructions(case: try XCTUnwrap(w.onlyCase("ent")).id).first)
        XCTAssertTrue(ent.action.contains("列入经营异常名录"), ent.action)
    }
}
