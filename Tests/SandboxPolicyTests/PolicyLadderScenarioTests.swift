import XCTest
import SandboxCore
import SandboxPolicy
@testable import SandboxPack

/// Cases that are not rectified in time (docs/policy.md §6.5–6.6): overdue the day after the
/// deadline day, the ladder one step per pass with waits counted from the day a step was issued,
/// receipts closing steps, reinstatement, termination.
final class PolicyLadderScenarioTests: XCTestCase {
    let d = Scenario.day

    func world(_ findings: [String], start: String = "2026-07-01") -> (PolicyWorld, PolicyCase) {
        let w = PolicyWorld(start: start)
        w.addClean("a") { $0.findingCodes = findings }
        w.pass()
        return (w, w.cases("a").first!)
    }

    func testStandardLadderWarningSuspendTerminateOnTheirDays() {
        let (w, c) = world([FindingCode.licenceNotDisplayed])        // RL-02, deadline 2026-07-11
        w.advance(to: "2026-07-11")
        XCTAssertEqual(w.allCases[c.id]?.state, .open, "the deadline day itself is still in time")
        XCTAssertEqual(w.kinds(case: c.id), [.guidance])
        w.next()
        XCTAssertEqual(w.allCases[c.id]?.state, .overdue)
        XCTAssertEqual(w.last.changedCases.map(\.id), [c.id])
        w.advance(to: "2026-10-31")
        XCTAssertEqual(w.issueDays(case: c.id),
                       ["guidance@2026-07-01", "warning@2026-07-12", "suspend@2026-07-20", "terminate@2026-08-20"])
        let steps = w.instructions(case: c.id)
        let (guidance, warning, suspend, terminate) = (steps[0], steps[1], steps[2], steps[3])
        let ladder = w.pack.ladders["standard"]!.steps
        XCTAssertEqual(warning.step, 1)
        XCTAssertEqual(Scenario.text(warning.deadlineDay), "2026-07-19", "the last day before the suspension is due")
        XCTAssertEqual(Scenario.text(warning.receiptDueDay), "2026-07-17")
        XCTAssertEqual(warning.guidanceID, guidance.id)
        XCTAssertEqual(warning.previousID, guidance.id)
        XCTAssertEqual(Scenario.text(warning.originalDeadlineDay), "2026-07-11")
        XCTAssertEqual(warning.action, ladder[0].action)
        XCTAssertEqual(warning.basis, ladder[0].basis)
        XCTAssertEqual(warning.reason, Scenario.trigger("RL-02").reason)
        XCTAssertEqual(suspend.step, 2)
        XCTAssertEqual(Scenario.text(suspend.deadlineDay), "2026-08-19")
        XCTAssertEqual(Scenario.text(suspend.receiptDueDay), "2026-07-23")
        XCTAssertEqual(suspend.previousID, warning.id)
        XCTAssertEqual(suspend.guidanceID, guidance.id)
        XCTAssertEqual(terminate.step, 3)
        XCTAssertNil(terminate.deadlineDay, "the last step gives no deadline")
        XCTAssertEqual(Scenario.text(terminate.receiptDueDay), "2026-08-23")
        XCTAssertEqual(terminate.previousID, suspend.id)
        let final = w.allCases[c.id]!
        XCTAssertEqual(final.state, .terminated)
        XCTAssertEqual(final.closedAt, PolicyCalendar.startOf(day: d("2026-08-20")))
        XCTAssertFalse(final.suspensionInForce)
        XCTAssertEqual(final.stepsIssued, 3)
        XCTAssertEqual(final.instructionIDs, [guidance.id, warning.id, suspend.id, terminate.id])
        XCTAssertNil(final.determination)
    }

    func testTerminationIsFinalNothingMoreIsIssued() {
        let (w, c) = world([FindingCode.licenceNotDisplayed])
        w.advance(to: "2026-08-20")
        XCTAssertEqual(w.allCases[c.id]?.state, .terminated)
        let count = w.issued.count
        // The condition still holds: no new case, no new guidance while service is stopped.
        w.advance(to: "2026-10-31")
        XCTAssertEqual(w.cases("a").count, 1)
        XCTAssertEqual(w.issued.count, count)
        // Cleared after termination: recorded once (lead update), no reinstatement, no confirmation.
        w.setFindings("a", [])
        w.next("2026-11-01")
        XCTAssertEqual(w.last.changedCases.map(\.id), [c.id])
        let cleared = w.allCases[c.id]!
        XCTAssertEqual(cleared.state, .terminated, "stays final")
        XCTAssertEqual(cleared.rectifiedAt, PolicyCalendar.startOf(day: d("2026-11-01")))
        XCTAssertEqual(cleared.closeReason, "cleared after termination")
        XCTAssertNil(cleared.determination)
        w.advance(to: "2026-11-10")
        XCTAssertFalse(w.issued.contains { $0.kind == .reinstate || $0.kind == .rectificationConfirmed })
        XCTAssertEqual(w.issued.count, count)
        XCTAssertTrue(w.openCases.isEmpty)
        // The condition returning later is a new matter: a new case.
        w.setFindings("a", [FindingCode.licenceNotDisplayed])
        w.next()
        XCTAssertEqual(w.cases("a").count, 2)
    }

    func testRL11TerminatedThenRectifiedReceiptIsRecordedWithoutReinstate() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("a")
        w.addEvent("a", "P", .penalty, nil, on: d("2026-07-01"))
        w.pass()
        let c = w.onlyCase("a")!
        w.advance(to: "2026-08-25")                   // warning 07-17, suspend 07-25, terminate 08-25
        XCTAssertEqual(w.issueDays(case: c.id).last, "terminate@2026-08-25")
        XCTAssertEqual(w.allCases[c.id]?.state, .terminated)
        w.receipt(w.allCases[c.id]!.instructionIDs[3], .rectified)
        w.next()
        XCTAssertEqual(w.allCases[c.id]?.state, .terminated)
        XCTAssertEqual(w.allCases[c.id]?.closeReason, "cleared after termination")
        XCTAssertEqual(w.kinds(case: c.id), [.guidance, .warning, .suspend, .terminate])
    }

    /// Issue 13 correction 3: goods that need a licence the merchant lacks are taken down at once —
    /// no guidance to get one within days, and no ladder after (the goods are already down).
    func testRL04TakesTheGoodsDownAtOnceWithoutALadder() {
        let (w, c) = world([FindingCode.licenceMissing])
        XCTAssertNil(c.deadlineDay)
        XCTAssertEqual(c.state, .open)
        w.advance(to: "2026-08-10")
        XCTAssertEqual(w.issueDays(case: c.id), ["takedown@2026-07-01"])
        XCTAssertEqual(w.allCases[c.id]?.state, .open, "never overdue: no deadline")
        XCTAssertEqual(w.allCases[c.id]?.suspensionInForce, false, "the goods, not the storefront")
    }

    /// Issue 13 correction 4: an entity that was 注销/吊销 and still trades is not guided to
    /// rectify — the platform stops service at once, and nothing more follows.
    func testRL05StopsServiceAtOnceWithoutGuidanceOrLadder() {
        let (w, c) = world([FindingCode.registryEndedWhileActive])
        XCTAssertNil(c.deadlineDay)
        XCTAssertEqual(c.state, .terminated)
        XCTAssertEqual(w.instructions(case: c.id).map(\.kind), [.terminate])
        XCTAssertEqual(w.instructions(case: c.id).first?.action, w.pack.triggers.first { $0.id == "RL-05" }?.action)
        w.advance(to: "2026-08-10")
        XCTAssertEqual(w.issueDays(case: c.id), ["terminate@2026-07-01"], "no guidance, no ladder")
        XCTAssertEqual(w.cases("a").count, 1, "no second case while the condition holds")
    }

    func testNoticeLadderHasOnlyAWarningAndStaysOverdue() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("p") { $0.findingCodes = [FindingCode.platformVerificationMissing] }   // RL-09
        w.addClean("r") { $0.findingCodes = [FindingCode.annualReportMissing] }          // RL-10
        w.pass()
        w.advance(to: "2026-12-31")
        for m in ["p", "r"] {
            let c = w.onlyCase(m)!
            XCTAssertEqual(w.issueDays(case: c.id), ["guidance@2026-07-01", "warning@2026-08-01"], m)
            XCTAssertNil(w.instructions(case: c.id)[1].deadlineDay)
            XCTAssertEqual(Scenario.text(w.instructions(case: c.id)[1].receiptDueDay), "2026-08-06")
            XCTAssertEqual(c.state, .overdue, m)
            XCTAssertFalse(c.suspensionInForce)
            XCTAssertNil(c.nextDue(calendar: PolicyCalendar()), "nothing more is due")
        }
    }

    func testOneStepPerPassAfterTheAgentWasDown60Days() {
        let (w, c) = world([FindingCode.licenceNotDisplayed])
        w.today = d("2026-09-09")                  // down from 2026-07-02 to 2026-09-08
        w.pass()
        XCTAssertEqual(w.kinds(case: c.id), [.guidance, .warning], "one step, not the whole ladder")
        XCTAssertEqual(w.allCases[c.id]?.state, .overdue)
        w.pass(seconds: 3600)                      // a second pass on the same day
        XCTAssertEqual(w.kinds(case: c.id), [.guidance, .warning])
        w.advance(to: "2026-09-16")
        XCTAssertEqual(w.kinds(case: c.id), [.guidance, .warning], "the full wait after the warning was issued")
        w.today = d("2026-12-31")                  // down again, long past both waits
        w.pass()
        XCTAssertEqual(w.issueDays(case: c.id), ["guidance@2026-07-01", "warning@2026-09-09", "suspend@2026-12-31"])
        w.advance(to: "2027-01-30")                 // 30 days counted from the day after 2026-12-31
        XCTAssertEqual(w.kinds(case: c.id), [.guidance, .warning, .suspend])
        w.next()
        XCTAssertEqual(w.issueDays(case: c.id).last, "terminate@2027-01-31")
    }

    func testReceiptsCloseStepsAndMissingReceiptsGoOverdue() {
        let (w, c) = world([FindingCode.licenceNotDisplayed])
        let guidance = c.instructionIDs[0]
        w.advance(to: "2026-07-06")
        XCTAssertTrue(w.receiptLog.isEmpty, "due on 2026-07-06: not overdue on that day \(w.receiptLog)")
        w.next()
        XCTAssertEqual(w.last.receiptChanges.map { "\($0.instructionID) \($0.state.rawValue)" }, ["\(guidance) overdue"])
        XCTAssertEqual(w.last.receiptChanges.first?.caseID, c.id)
        XCTAssertEqual(w.last.changedCases.map(\.id), [c.id], "a receipt change updates the lead")
        w.advance(to: "2026-07-12")
        let warning = w.allCases[c.id]!.instructionIDs[1]
        w.receipt(warning, .executed)
        w.next()
        XCTAssertEqual(w.last.receiptChanges.map { "\($0.instructionID) \($0.state.rawValue) \($0.receiptID ?? "-")" },
                       ["\(warning) executed r1"])
        XCTAssertEqual(w.allCases[c.id]?.state, .overdue, "receipts close steps, not the case")
        w.advance(to: "2026-07-20")
        let suspend = w.allCases[c.id]!.instructionIDs[2]
        w.receipt(suspend, .rejected)
        w.receipt("tb-warning-99999999", .executed)    // unknown instruction: ignored
        w.next()
        XCTAssertEqual(w.last.receiptChanges.map { "\($0.instructionID) \($0.state.rawValue)" }, ["\(suspend) rejected"])
        w.advance(to: "2026-08-20")
        let terminate = w.allCases[c.id]!.instructionIDs[3]
        w.advance(to: "2026-08-23")
        XCTAssertFalse(w.receiptLog.contains { $0.instructionID == terminate })
        w.next()
        XCTAssertEqual(w.last.receiptChanges.map { "\($0.instructionID) \($0.state.rawValue)" }, ["\(terminate) overdue"])
        XCTAssertEqual(w.receiptLog.count, 4)
        XCTAssertTrue(w.awaited.isEmpty)
    }

    func testRectifiedAfterSuspensionIssuesReinstate() {
        let (w, c) = world([FindingCode.licenceNotDisplayed])
        w.advance(to: "2026-07-24")
        XCTAssertEqual(w.allCases[c.id]?.suspensionInForce, true)
        w.setFindings("a", [])
        w.next()
        let closed = w.allCases[c.id]!
        XCTAssertEqual(closed.state, .rectifiedLate)
        XCTAssertFalse(closed.suspensionInForce)
        XCTAssertEqual(closed.determination?.inTime, false)
        XCTAssertEqual(closed.determination?.result, CaseDetermination.Result.none)
        XCTAssertEqual(w.kinds(case: c.id), [.guidance, .warning, .suspend, .rectificationConfirmed, .reinstate])
        let steps = w.instructions(case: c.id)
        let reinstate = steps[4]
        XCTAssertEqual(reinstate.suspendInstructionID, steps[2].id)
        XCTAssertEqual(reinstate.issuedDay, d("2026-07-25"))
        XCTAssertEqual(Scenario.text(reinstate.receiptDueDay), "2026-07-28")
        XCTAssertEqual(reinstate.rectifiedAt, PolicyCalendar.startOf(day: d("2026-07-25")))
        XCTAssertEqual(reinstate.action, w.pack.reinstate.action)
        XCTAssertEqual(reinstate.basis, w.pack.reinstate.basis)
        XCTAssertTrue(reinstate.kind.expectsReceipt)
        XCTAssertEqual(steps[3].inTime, false)
        XCTAssertNotNil(w.awaited[reinstate.id])
        XCTAssertEqual(closed.instructionIDs, steps.map(\.id))
    }

    func testRectifiedAfterWarningOnlyIssuesNoReinstate() {
        let (w, c) = world([FindingCode.licenceNotDisplayed])
        w.advance(to: "2026-07-15")
        w.setFindings("a", [])
        w.next()
        XCTAssertEqual(w.kinds(case: c.id), [.guidance, .warning, .rectificationConfirmed])
        XCTAssertEqual(w.allCases[c.id]?.state, .rectifiedLate)
    }

    /// Two suspending cases of one merchant: one reinstatement, after both are rectified — in
    /// either order, or in the same pass.
    func testTwoSuspendingCasesGiveOneReinstateAfterBoth() {
        for order in ["lowFirst", "highFirst", "together"] {
            let (w, _) = world([FindingCode.licenceNotDisplayed, FindingCode.usccFormat])   // RL-02 and RL-03
            let rl02 = w.onlyCase("a", "RL-02")!, rl03 = w.onlyCase("a", "RL-03")!
            XCTAssertLessThan(rl02.id, rl03.id)
            w.advance(to: "2026-07-21")
            XCTAssertEqual(w.allCases[rl02.id]?.suspensionInForce, true)
            XCTAssertEqual(w.allCases[rl03.id]?.suspensionInForce, true)
            switch order {
            case "lowFirst": w.setFindings("a", [FindingCode.usccFormat])
            case "highFirst": w.setFindings("a", [FindingCode.licenceNotDisplayed])
            default: w.setFindings("a", [])
            }
            w.next()
            if order != "together" {
                XCTAssertFalse(w.issued.contains { $0.kind == .reinstate }, "\(order): the other suspension is still in force")
                w.advance(to: "2026-07-24")
                XCTAssertFalse(w.issued.contains { $0.kind == .reinstate }, order)
                w.setFindings("a", [])
                w.next()
            }
            let reinstates = w.issued.filter { $0.kind == .reinstate }
            XCTAssertEqual(reinstates.count, 1, order)
            XCTAssertEqual(reinstates.first?.issuedDay, w.today, order)
            XCTAssertEqual(w.cases("a").map(\.state), [.rectifiedLate, .rectifiedLate], order)
            w.advance(to: "2026-08-30")
            XCTAssertEqual(w.issued.filter { $0.kind == .reinstate }.count, 1, order)
        }
    }

    func testASuspensionOfAnotherCaseThatWasNotSuspendedDoesNotHoldTheReinstate() {
        // RL-02 (deadline 07-11) is suspended on 07-20; RL-08 (deadline 07-31) is still open then.
        let (w, _) = world([FindingCode.licenceNotDisplayed, FindingCode.smallScaleTurnoverOverLimit])
        w.advance(to: "2026-07-22")
        w.setFindings("a", [FindingCode.smallScaleTurnoverOverLimit])
        w.next()
        XCTAssertEqual(w.issued.filter { $0.kind == .reinstate }.map(\.caseID), [w.onlyCase("a", "RL-02")!.id])
    }

    func testRL07NeverEscalates() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("a") { $0.registry!.seriousViolationList = true }
        w.pass()
        let c = w.onlyCase("a", "RL-07")!
        XCTAssertNil(c.deadlineDay)
        XCTAssertNil(c.nextDue(calendar: PolicyCalendar()))
        w.advance(to: "2027-01-31")
        XCTAssertEqual(w.kinds(case: c.id), [.guidance])
        XCTAssertEqual(w.allCases[c.id]?.state, .open)
        w.update("a") { $0.registry!.seriousViolationList = false }
        w.next()
        let closed = w.allCases[c.id]!
        XCTAssertEqual(closed.state, .rectified, "no deadline: always in time")
        XCTAssertEqual(closed.determination?.inTime, true)
        XCTAssertEqual(closed.determination?.result, CaseDetermination.Result.none, "serious")
    }

    func testRL11StandardLadderAndNoReopening() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("a")
        w.addEvent("a", "P1", .penalty, nil, on: d("2026-07-01"))
        w.addEvent("a", "P2", .penalty, nil, on: d("2026-07-01"))
        w.pass()
        XCTAssertEqual(w.cases("a").map(\.caseKey), ["P1", "P2"])
        w.advance(to: "2026-07-25")
        for c in w.cases("a") {
            XCTAssertEqual(w.issueDays(case: c.id), ["guidance@2026-07-01", "warning@2026-07-17", "suspend@2026-07-25"])
        }
        let (c1, c2) = (w.cases("a")[0], w.cases("a")[1])
        w.receipt(c1.instructionIDs[2], .rectified)
        w.next()
        XCTAssertEqual(w.allCases[c1.id]?.state, .rectifiedLate)
        XCTAssertFalse(w.issued.contains { $0.kind == .reinstate }, "P2's suspension is still in force")
        w.receipt(c2.instructionIDs[0], .rectified)        // quoting the guidance (its receipt went overdue): any instruction of the case
        w.next()
        XCTAssertEqual(w.allCases[c2.id]?.state, .rectifiedLate)
        XCTAssertEqual(w.issued.filter { $0.kind == .reinstate }.map(\.caseID), [c2.id])
        w.advance(to: "2026-07-30")
        XCTAssertEqual(w.cases("a").count, 2)
    }
}
