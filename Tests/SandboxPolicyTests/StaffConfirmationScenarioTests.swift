import XCTest
import SandboxCore
import SandboxPolicy
@testable import SandboxPack
import TestSupport

/// Ladder steps that restrict trade wait for an officer (issue 12; the Chengdu pack's suspend and
/// terminate have `confirm = "staff"`): proposed when due, issued only when confirmed, proposed
/// again after a deferral, never after a cancellation, lapsed when the case closes first.
final class StaffConfirmationScenarioTests: XCTestCase {
    let d = Scenario.day

    /// RL-02 (licence not displayed) on 07-01: deadline 07-11, warning 07-12, suspend due 07-20.
    func overdueCase() -> (PolicyWorld, String) {
        let w = PolicyWorld(start: "2026-07-01")
        w.officerConfirmsAtOnce = false
        w.addClean("a") { $0.findingCodes = [FindingCode.licenceNotDisplayed] }
        w.pass()
        let id = w.cases("a").first!.id
        w.advance(to: "2026-07-19")
        XCTAssertEqual(w.kinds(case: id), [.guidance, .warning], "the warning is the agent's own")
        return (w, id)
    }

    func testTheCompiledPackProposesSuspendAndTerminateAndIssuesTheWarning() {
        let steps = Scenario.pack.ladders["standard"]!.steps
        XCTAssertEqual(steps.map(\.kind), [.warning, .suspend, .terminate])
        XCTAssertEqual(steps.map(\.confirm), [.auto, .staff, .staff])
    }

    func testASuspensionIsProposedAndIssuedOnlyWhenAnOfficerConfirmsIt() {
        let (w, id) = overdueCase()
        w.next("2026-07-20")
        XCTAssertEqual(w.kinds(case: id), [.guidance, .warning], "no suspend instruction without an officer")
        var c = w.allCases[id]!
        XCTAssertEqual(c.proposal?.state, .pending)
        XCTAssertEqual(c.proposal?.step, 2)
        XCTAssertEqual(c.proposal?.kind, .suspend)
        XCTAssertEqual(c.proposal?.firstProposedAt, PolicyCalendar.startOf(day: d("2026-07-20")))
        XCTAssertEqual(w.last.changedCases.map(\.id), [id], "the proposal reaches the regulator in the case item")
        XCTAssertFalse(c.suspensionInForce)

        // Days pass unanswered: nothing happens, the proposal ages.
        w.advance(to: "2026-07-25")
        XCTAssertEqual(w.kinds(case: id), [.guidance, .warning])
        XCTAssertEqual(w.allCases[id]?.proposal?.firstProposedAt, PolicyCalendar.startOf(day: d("2026-07-20")))

        w.officer(.confirm, case: id)
        w.next("2026-07-26")
        XCTAssertEqual(w.issueDays(case: id), ["guidance@2026-07-01", "warning@2026-07-12", "suspend@2026-07-26"])
        c = w.allCases[id]!
        XCTAssertEqual(c.proposal?.state, .confirmed)
        XCTAssertEqual(c.proposal?.decidedBy, "officer-510104")
        XCTAssertTrue(c.suspensionInForce)
        XCTAssertEqual(w.last.appliedDirectives, ["conf-1"])
        let suspend = w.instructions(case: id).last!
        XCTAssertEqual(Scenario.text(suspend.deadlineDay), "2026-08-25", "the next wait runs from the day it was issued")

        // The termination is proposed in its turn, 30 days after the suspension was issued.
        w.advance(to: "2026-08-26")
        XCTAssertEqual(w.allCases[id]?.proposal?.step, 3)
        XCTAssertEqual(w.allCases[id]?.proposal?.state, .pending)
        XCTAssertEqual(w.allCases[id]?.state, .overdue, "not terminated while the officer has not confirmed")
    }

    func testADeferredStepIsProposedAgainOnItsDay() {
        let (w, id) = overdueCase()
        w.next("2026-07-20")
        w.officer(.defer, case: id, until: "2026-07-28", reason: "约谈后给予一周")
        w.next()
        var p = w.allCases[id]!.proposal!
        XCTAssertEqual(p.state, .deferred)
        XCTAssertEqual(p.reason, "约谈后给予一周")
        w.advance(to: "2026-07-27")
        XCTAssertEqual(w.allCases[id]?.proposal?.state, .deferred)
        w.next("2026-07-28")
        p = w.allCases[id]!.proposal!
        XCTAssertEqual(p.state, .pending, "proposed again on the day given")
        XCTAssertEqual(p.proposedAt, PolicyCalendar.startOf(day: d("2026-07-28")))
        XCTAssertEqual(p.firstProposedAt, PolicyCalendar.startOf(day: d("2026-07-20")), "its age counts from the first proposal")
        XCTAssertEqual(w.kinds(case: id), [.guidance, .warning])
    }

    func testACancelledStepStopsTheLadderButNotTheCase() {
        let (w, id) = overdueCase()
        w.next("2026-07-20")
        w.officer(.cancel, case: id, reason: "已立案查处，不再暂停服务")
        w.next()
        w.advance(to: "2026-10-31")
        let c = w.allCases[id]!
        XCTAssertEqual(c.proposal?.state, .cancelled)
        XCTAssertTrue(c.ladderStopped)
        XCTAssertEqual(c.state, .overdue, "the case stays open for the bureau's own procedure")
        XCTAssertEqual(w.kinds(case: id), [.guidance, .warning], "no suspend, no terminate")

        // Rectified later: closed as any case, with no reinstatement (nothing was suspended).
        w.setFindings("a", [])
        w.next()
        XCTAssertEqual(w.allCases[id]?.state, .rectifiedLate)
        XCTAssertEqual(w.kinds(case: id), [.guidance, .warning, .rectificationConfirmed])
    }

    func testAProposalLapsesWhenTheCaseIsRectifiedFirstAndALateDecisionIsIgnored() {
        let (w, id) = overdueCase()
        w.next("2026-07-20")
        w.setFindings("a", [])
        w.next()
        XCTAssertEqual(w.allCases[id]?.state, .rectifiedLate)
        XCTAssertEqual(w.allCases[id]?.proposal?.state, .lapsed)
        w.officer(.confirm, case: id)
        w.next()
        XCTAssertEqual(w.kinds(case: id), [.guidance, .warning, .rectificationConfirmed], "a confirmation after the case closed issues nothing")
        XCTAssertEqual(w.allCases[id]?.proposal?.state, .lapsed)
        XCTAssertEqual(w.last.appliedDirectives, ["conf-1"], "applied (read), so it is not offered again")
    }

    func testAWarningCannotWaitForAnOfficer() {
        let text = try! String(decoding: RulePackFiles.chengdu(), as: UTF8.self)
        let changed = text.replacingOccurrences(of: """
            kind = "warning"
            after_days = 0                     # due at 00:00 after the deadline day
            """, with: """
            kind = "warning"
            confirm = "staff"
            after_days = 0
            """)
        XCTAssertNotEqual(changed, text)
        XCTAssertThrowsError(try PackTOML.compile(Array(changed.utf8), fileName: "p.toml")) { error in
            XCTAssertTrue("\(error)".contains("a warning restricts no trade"), "\(error)")
        }
    }
}
