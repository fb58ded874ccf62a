import XCTest
import SandboxCore
@testable import SandboxPolicy
@testable import SandboxPack

/// A pass hands its new cases over in blocks, each with its instructions (issue 16: a first pass
/// at 469,000 merchants opened 81,685 cases and held them in one part to the end of the stage).
final class PolicyCaseBlockTests: XCTestCase {
    func testNewCasesComeInBlocksWithTheirInstructionsAndJoinToTheWholeOutcome() {
        let w = PolicyCaseScenarioTests.worldWithEveryTrigger()
        let input = w.input(now: PolicyCalendar.startOf(day: w.today))
        let whole = PolicyPass.run(input)
        XCTAssertEqual(whole.openedCases.count, 10)

        var parts: [PolicyOutcome] = []
        let last = PolicyPass.run(input, blockRows: 4) { parts.append($0) }
        let withCases = parts.filter { !$0.openedCases.isEmpty }
        XCTAssertEqual(withCases.map { $0.openedCases.count }, [4, 4, 2], "blocks of at most 4 new cases")
        for part in withCases {
            // Each case's instructions in its own part: the writer finds the case of each.
            XCTAssertEqual(Set(part.instructions.map(\.caseID)), Set(part.openedCases.map(\.id)))
            XCTAssertTrue(part.classDecisions.isEmpty && part.rosterDecisions.isEmpty, "cases apart from the other stages")
        }

        var joined = PolicyOutcome()
        for part in parts { joined.append(part) }
        joined.append(last)
        XCTAssertEqual(joined.openedCases.map(\.id), whole.openedCases.map(\.id))
        XCTAssertEqual(joined.openedCases, whole.openedCases)
        XCTAssertEqual(joined.instructions.map(\.id), whole.instructions.map(\.id))
        XCTAssertEqual(joined.classDecisions.count, whole.classDecisions.count)
        XCTAssertEqual(joined.rosterDecisions.count, whole.rosterDecisions.count)
        XCTAssertEqual(joined.nextCaseNumber, whole.nextCaseNumber)
        XCTAssertEqual(joined.nextInstructionNumber, whole.nextInstructionNumber)
    }

    /// The cases that existed and changed come in blocks too, each with its cases' art. 33
    /// determinations, instructions and receipt changes (a day that confirmed 74,000 rectifications
    /// held them all to the end of the stage: 776 MiB, issue 16); joined, the parts are the whole.
    func testChangedCasesComeInBlocksWithTheirDeterminationsInstructionsAndReceipts() {
        let w = PolicyCaseScenarioTests.worldWithEveryTrigger()
        w.pass()
        let m11 = w.onlyCase("m11")!
        let m08 = w.onlyCase("m08")!
        w.receipt(m11.instructionIDs[0], .rectified)   // RL-11 is cleared by a receipt
        w.receipt(m08.instructionIDs[0], .executed)    // delivered; the case is cleared by its condition
        for m in PolicyCaseScenarioTests.merchantTriggers.map(\.merchant) {
            w.update(m) { $0.findingCodes = []; $0.registry!.seriousViolationList = false }
        }
        w.today = Scenario.day("2026-07-04")
        let input = w.input(now: PolicyCalendar.startOf(day: w.today))
        let whole = PolicyPass.run(input)
        XCTAssertGreaterThanOrEqual(whole.changedCases.count, 9)
        XCTAssertEqual(whole.receiptChanges.count, 2)

        var parts: [PolicyOutcome] = []
        let last = PolicyPass.run(input, blockRows: .max, changedCaseBlock: 2) { parts.append($0) }
        let withCases = parts.filter { !$0.changedCases.isEmpty }
        XCTAssertEqual(withCases.count, (whole.changedCases.count + 1) / 2)
        for part in withCases {
            XCTAssertLessThanOrEqual(part.changedCases.count, 2)
            let ids = Set(part.changedCases.map(\.id))
            // The writer finds the case of each instruction and receipt change in its part.
            XCTAssertTrue(Set(part.instructions.map(\.caseID)).isSubset(of: ids))
            XCTAssertTrue(Set(part.receiptChanges.map(\.caseID)).isSubset(of: ids))
            for c in part.changedCases where c.state == .rectified {
                XCTAssertNotNil(c.determination, "determined in its own block: \(c.ruleID)")
                XCTAssertEqual(part.instructions.filter { $0.caseID == c.id }.map(\.kind), [.rectificationConfirmed])
            }
        }
        XCTAssertEqual(Set(parts.flatMap(\.receiptChanges).map(\.caseID)), [m11.id, m08.id])

        var joined = PolicyOutcome()
        for part in parts { joined.append(part) }
        joined.append(last)
        XCTAssertEqual(joined.changedCases, whole.changedCases)
        XCTAssertEqual(joined.instructions, whole.instructions)
        XCTAssertEqual(Set(joined.receiptChanges), Set(whole.receiptChanges))
        XCTAssertEqual(joined.nextInstructionNumber, whole.nextInstructionNumber)
    }
}
