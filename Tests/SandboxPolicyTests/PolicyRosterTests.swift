import XCTest
import SandboxCore
import SandboxPolicy
@testable import SandboxPack

/// The sandbox roster (docs/policy.md §5): admission when ADM-01…07 hold, removal by each REM
/// criterion, the cooling period as an unbroken streak, regulator directives with holds.
final class PolicyRosterTests: XCTestCase {
    let d = Scenario.day

    func decisions(_ w: PolicyWorld, _ id: String) -> [String] {
        w.rosterLog.filter { $0.decision.merchantID == id }.map {
            "\(Scenario.text($0.day)!) \($0.decision.decision.rawValue) \($0.decision.source) \($0.decision.criteria.filter(\.holds).map(\.id).joined(separator: ","))"
        }
    }

    func testAdmissionWhenEveryCriterionHolds() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("a")
        w.pass()
        let admitted = w.rosterLog.map(\.decision)
        XCTAssertEqual(admitted.count, 1)
        XCTAssertEqual(admitted.first?.decision, .admitted)
        XCTAssertEqual(admitted.first?.source, "agent")
        XCTAssertEqual(admitted.first?.criteria.map(\.id), ["ADM-01", "ADM-02", "ADM-03", "ADM-04", "ADM-05", "ADM-06", "ADM-07", "ADM-08"])
        XCTAssertEqual(admitted.first?.criteria.map(\.value), Array(repeating: true, count: 8))
        XCTAssertEqual(admitted.first?.criteria.first?.text, "信用风险分类为A类（信用风险低）")
        XCTAssertEqual(admitted.first?.memberSince, d("2026-07-01"))
        XCTAssertEqual(w.state("a").member, true)
        XCTAssertEqual(w.state("a").memberSince, d("2026-07-01"))
        XCTAssertEqual(w.state("a").source, "agent")
        w.advance(to: "2026-07-10")
        XCTAssertEqual(w.rosterLog.count, 1, "a member is not admitted again")
    }

    func testNoAdmissionWhenACriterionFailsOrIsUnknown() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("adm01") { $0.record.complaints90d = 10 }                                      // class B
        w.addClean("adm02") { $0.findingCodes = [FindingCode.platformVerificationMissing] }       // only RL-09 (platform)
        w.addClean("adm02nouscc") { $0.record.uscc = nil; $0.registry = nil }
        w.addClean("adm03") { $0.findingCodes = [FindingCode.licenceNotDisplayed] }              // open RL-02 case, still A
        w.addClean("adm04unknownA") { $0.registry!.abnormalList = nil }
        w.addClean("adm04unknownS") { $0.registry!.seriousViolationList = nil }
        w.addClean("adm05") { $0.events = [EventRecord(eventID: "R", platformMerchantID: "adm05", eventType: .penalty,
                                                          occurredAt: PolicyCalendar.startOf(day: Scenario.day("2025-09-01")))] }
        w.addClean("adm06") { $0.record.openedAt = Scenario.date("2026-01-02") }                 // 6 months on 2026-07-02
        w.addClean("adm07") { $0.record.status = .suspended }
        // `?? 'active'`; an 18-character code of its own (the long id makes none: ADM-08 reads the division)
        w.addClean("adm07nostatus", uscc: "915101040000000077") { $0.record.status = nil }
        w.pass()
        XCTAssertEqual(w.rosterLog.map(\.decision.merchantID), ["adm07nostatus"])
        XCTAssertEqual(w.state("adm02").riskClass, .a)
        XCTAssertEqual(w.state("adm03").riskClass, .a)
        XCTAssertEqual(w.state("adm04unknownA").eligibleSince, nil)
        w.next()
        XCTAssertEqual(w.last.rosterDecisions.map(\.merchantID), ["adm06"], "exactly 6 months after opening")
        w.advance(to: "2026-08-31")
        // adm03: its RL-02 case ran the ladder to termination (2026-08-20) and the condition still holds.
        XCTAssertEqual(w.onlyCase("adm03")?.state, .terminated)
        XCTAssertEqual(w.rosterLog.map(\.decision.merchantID), ["adm07nostatus", "adm06"])
    }

    func testRemovalByEachCriterion() {
        let w = PolicyWorld(start: "2026-07-01")
        for id in ["rem01", "rem02", "rem03", "rem04", "rem05"] { w.addClean(id) }
        w.pass()
        XCTAssertEqual(w.rosterLog.count, 5)
        w.addEvent("rem01", "P", .penalty, nil, on: d("2026-07-02"))                 // RL-11 serious case (class B)
        w.setFindings("rem02", [FindingCode.licenceNotDisplayed])                    // RL-02, overdue on 07-13
        w.update("rem03") { $0.registry!.abnormalList = true }                        // list (and class C)
        w.update("rem04") { m in                                                      // class C, no case: events too old
            for i in 0..<2 {
                m.events.append(EventRecord(eventID: "old\(i)", platformMerchantID: "rem04", eventType: .penalty,
                                            occurredAt: PolicyCalendar.startOf(day: Scenario.day("2026-05-01"))))
            }
        }
        w.update("rem05") { $0.record.status = .closed }
        w.next("2026-07-02")
        XCTAssertEqual(w.last.rosterDecisions.map { "\($0.merchantID) \($0.criteria.map(\.id)) \($0.readmitAfterDays!)" },
                       ["rem01 [\"REM-01\"] 180", "rem03 [\"REM-03\", \"REM-04\"] 90", "rem04 [\"REM-04\"] 90", "rem05 [\"REM-05\"] 0"])
        let r1 = w.last.rosterDecisions[0]
        XCTAssertEqual(r1.decision, .removed)
        XCTAssertEqual(r1.source, "agent")
        XCTAssertEqual(r1.memberSince, d("2026-07-01"))
        XCTAssertEqual(r1.criteria.first?.value, true)
        XCTAssertEqual(Scenario.text(r1.readmitNotBefore), "2026-12-30")
        XCTAssertEqual(w.state("rem01").member, false)
        XCTAssertNil(w.state("rem01").memberSince)
        XCTAssertEqual(w.state("rem01").readmitAfterDays, 180)
        XCTAssertEqual(w.state("rem02").member, true, "an open minor case does not remove")
        w.advance(to: "2026-07-12")
        XCTAssertEqual(w.state("rem02").member, true, "in time until the deadline day ends")
        w.next()
        XCTAssertEqual(w.last.rosterDecisions.map { "\($0.merchantID) \($0.criteria.map(\.id)) \($0.readmitAfterDays!)" },
                       ["rem02 [\"REM-02\"] 90"])
        XCTAssertEqual(Scenario.text(w.last.rosterDecisions.first?.readmitNotBefore), "2026-10-12")
        // A closed storefront that opens again: no cooling.
        w.update("rem05") { $0.record.status = .active }
        w.next()
        XCTAssertEqual(w.last.rosterDecisions.map { "\($0.merchantID) \($0.decision.rawValue)" }, ["rem05 admitted"])
    }

    func testAPlatformCaseDoesNotRemoveAMember() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("a")
        w.pass()
        w.setFindings("a", [FindingCode.platformVerificationOverdue])    // RL-09, overdue on 2026-08-01
        w.advance(to: "2026-09-01")
        XCTAssertEqual(w.onlyCase("a")?.state, .overdue)
        XCTAssertEqual(w.state("a").member, true)
        XCTAssertEqual(w.rosterLog.count, 1)
    }

    /// REM-02 → 90 days of unbroken eligibility.
    func testCoolingAfterAnOverdueRemoval() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("a")
        w.addClean("b")
        w.pass()
        w.setFindings("a", [FindingCode.licenceNotDisplayed])
        w.setFindings("b", [FindingCode.licenceNotDisplayed])
        w.advance(to: "2026-07-13")                           // both removed (REM-02) on 07-13
        w.setFindings("a", [])
        w.setFindings("b", [])
        w.next("2026-07-14")                                  // both rectified late: eligible from 07-14
        XCTAssertEqual(w.state("a").eligibleSince, d("2026-07-14"))
        w.advance(to: "2026-08-01")
        w.update("b") { $0.record.complaints90d = 10 }          // class B for one day: the streak breaks
        w.next()
        w.update("b") { $0.record.complaints90d = 0 }
        w.next()
        XCTAssertEqual(w.state("b").eligibleSince, d("2026-08-03"))
        w.advance(to: "2026-10-11")
        XCTAssertEqual(w.state("a").member, false, "89 days")
        w.next()
        XCTAssertEqual(decisions(w, "a"), ["2026-07-01 admitted agent ADM-01,ADM-02,ADM-03,ADM-04,ADM-05,ADM-06,ADM-07,ADM-08",
                                           "2026-07-13 removed agent REM-02",
                                           "2026-10-12 admitted agent ADM-01,ADM-02,ADM-03,ADM-04,ADM-05,ADM-06,ADM-07,ADM-08"])
        XCTAssertEqual(w.state("a").memberSince, d("2026-10-12"))
        w.advance(to: "2026-10-31")
        XCTAssertEqual(w.state("b").member, false)
        w.next()
        XCTAssertEqual(w.last.rosterDecisions.map(\.merchantID), ["b"], "90 days after 2026-08-03")
    }

    /// REM-01 → 180 days.
    func testCoolingAfterASeriousCase() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("a")
        w.pass()
        w.setFindings("a", [FindingCode.licenceMissing])        // RL-04, class C
        w.next()
        XCTAssertEqual(decisions(w, "a").last, "2026-07-02 removed agent REM-01,REM-04")
        XCTAssertEqual(w.state("a").readmitAfterDays, 180)
        w.setFindings("a", [])
        w.next("2026-07-05")
        XCTAssertEqual(w.onlyCase("a")?.state, .rectified)
        XCTAssertEqual(w.state("a").eligibleSince, d("2026-07-05"))
        w.advance(to: "2026-12-31")
        XCTAssertEqual(w.state("a").member, false)
        w.next()
        XCTAssertEqual(decisions(w, "a").last, "2027-01-01 admitted agent ADM-01,ADM-02,ADM-03,ADM-04,ADM-05,ADM-06,ADM-07,ADM-08")
    }

    func testRegulatorRemovalHoldsTheMerchantOut() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("a")
        w.addClean("b")
        w.pass()
        w.directive("DIR-1", "a", .remove, holdDays: 30)
        w.directive("DIR-2", "b", .remove)
        w.next()
        XCTAssertEqual(w.last.appliedDirectives, ["DIR-1", "DIR-2"])
        let r = w.last.rosterDecisions
        XCTAssertEqual(r.map { "\($0.merchantID) \($0.decision.rawValue) \($0.source) \($0.directiveID ?? "-")" },
                       ["a removed regulator DIR-1", "b removed regulator DIR-2"])
        XCTAssertEqual(r.first?.memberSince, d("2026-07-01"))
        XCTAssertEqual(Scenario.text(r.first?.readmitNotBefore), "2026-08-01")
        XCTAssertEqual(Scenario.text(r.last?.readmitNotBefore), "2026-12-29", "[roster.regulator] removal_hold_days = 180")
        XCTAssertEqual(w.state("a").holdUntilDay, d("2026-08-01"))
        XCTAssertEqual(w.state("a").source, "regulator")
        w.advance(to: "2026-07-31")
        XCTAssertEqual(w.state("a").member, false)
        w.next()
        XCTAssertEqual(decisions(w, "a").last, "2026-08-01 admitted agent ADM-01,ADM-02,ADM-03,ADM-04,ADM-05,ADM-06,ADM-07,ADM-08")
        w.advance(to: "2026-12-28")
        XCTAssertEqual(w.state("b").member, false)
        w.next()
        XCTAssertEqual(w.last.rosterDecisions.map(\.merchantID), ["b"])
    }

    func testRegulatorAdmissionWaivesCriteriaButNotLaterRemoval() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("b") { $0.record.complaints90d = 10 }           // class B: not eligible
        w.addClean("c") { $0.registry!.abnormalList = true }       // a removal criterion holds
        w.pass()
        XCTAssertTrue(w.rosterLog.isEmpty)
        w.directive("DIR-B", "b", .admit)
        w.directive("DIR-C", "c", .admit)
        w.next()
        XCTAssertEqual(w.last.rosterDecisions.map { "\($0.merchantID) \($0.decision.rawValue) \($0.source) \($0.directiveID ?? "-")" },
                       ["b admitted regulator DIR-B", "c admitted regulator DIR-C"])
        XCTAssertEqual(w.state("b").memberSince, d("2026-07-02"))
        w.next()
        XCTAssertEqual(w.last.rosterDecisions.map { "\($0.merchantID) \($0.decision.rawValue) \($0.source)" },
                       ["c removed agent"], "removal criteria apply from the next pass on; B keeps a member in")
        w.advance(to: "2026-07-20")
        XCTAssertEqual(w.state("b").member, true)
        w.addEvent("b", "P", .penalty, nil, on: d("2026-07-21"))
        w.next()
        // The penalty also makes b class C (15 + 20 points).
        XCTAssertEqual(decisions(w, "b").last, "2026-07-21 removed agent REM-01,REM-04")
    }

    /// The regulator decides the roster (issue 12): the agent's own decision is a proposal; while
    /// the regulator's verdict for the enterprise is "not a member" the merchant is not in the
    /// sandbox, whatever the agent decides, and a verdict that turns puts it back.
    func testTheRegulatorsVerdictDecidesWhetherTheProposalApplies() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("a")
        w.addClean("b")
        w.pass()
        XCTAssertEqual(w.last.rosterDecisions.map { "\($0.merchantID) \($0.applies)" }, ["a true", "b true"],
                       "no verdict yet: the agent's admissions apply")
        // Another platform rates a's enterprise C: the regulator says "not a member".
        w.directive("V-1", "a", .decidedNotMember)
        w.next()
        XCTAssertEqual(w.last.appliedDirectives, ["V-1"])
        XCTAssertEqual(w.last.rosterDecisions.map { "\($0.merchantID) \($0.decision.rawValue) \($0.source) \($0.directiveID ?? "-") \($0.applies)" },
                       ["a removed regulator V-1 true"])
        XCTAssertEqual(w.last.rosterDecisions.first?.memberSince, d("2026-07-01"))
        XCTAssertEqual(w.state("a").member, true, "still the agent's proposal")
        XCTAssertEqual(w.state("a").applied, false)
        XCTAssertEqual(w.state("b").applied, true)
        w.next()
        XCTAssertTrue(w.last.rosterDecisions.isEmpty, "a standing verdict decides nothing anew")

        // The agent's own removal while excluded changes the proposal, not the sandbox.
        w.update("a") { $0.record.status = .closed }
        w.next()
        XCTAssertEqual(w.last.rosterDecisions.map { "\($0.merchantID) \($0.decision.rawValue) \($0.source) \($0.applies)" },
                       ["a removed agent false"])
        // Nor does its re-admission: a proposal the verdict keeps out.
        w.update("a") { $0.record.status = .active }
        w.next()
        XCTAssertEqual(w.last.rosterDecisions.map { "\($0.merchantID) \($0.decision.rawValue) \($0.source) \($0.applies)" },
                       ["a admitted agent false"])
        XCTAssertEqual(w.state("a").applied, false)

        // The decision turns: the proposal applies again, as the regulator's decision.
        w.directive("V-2", "a", .decidedMember)
        w.next()
        XCTAssertEqual(w.last.rosterDecisions.map { "\($0.merchantID) \($0.decision.rawValue) \($0.source) \($0.directiveID ?? "-") \($0.applies)" },
                       ["a admitted regulator V-2 true"])
        XCTAssertEqual(w.state("a").applied, true)

        // A "member" verdict never admits what the agent does not propose.
        w.directive("V-3", "b", .decidedMember)
        w.update("b") { $0.record.status = .closed }
        w.next()
        XCTAssertEqual(w.last.rosterDecisions.map { "\($0.merchantID) \($0.decision.rawValue) \($0.source) \($0.applies)" },
                       ["b removed agent true"])
        XCTAssertEqual(w.state("b").applied, false)
    }
}
