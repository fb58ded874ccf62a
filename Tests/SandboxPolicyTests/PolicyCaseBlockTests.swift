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
}
