import XCTest
import SandboxCore
import SandboxPolicy
@testable import SandboxPack

/// Every trigger of the Chengdu pack through the pure engine (docs/policy.md §6, §15): the case,
/// its guidance and deadline (民法典 art. 201–203), its evidence, and rectification in time with the
/// art. 33 determination.
final class PolicyCaseScenarioTests: XCTestCase {
    let d = Scenario.day

    /// Merchant id → the finding codes / registry change that make exactly one trigger fire.
    static let merchantTriggers: [(rule: String, merchant: String, findings: [String], seriousList: Bool)] = [
        ("RL-01", "m01", [FindingCode.registryChangeNotDisplayed], false),
        ("RL-02", "m02", [FindingCode.licenceNotDisplayed], false),
        ("RL-03", "m03", [FindingCode.usccFormat], false),
        ("RL-04", "m04", [FindingCode.licenceMissing], false),
        ("RL-05", "m05", [FindingCode.registryEndedWhileActive], false),
        ("RL-07", "m07", [], true),
        ("RL-08", "m08", [FindingCode.smallScaleTurnoverOverLimit], false),
        ("RL-09", "m09", [FindingCode.platformVerificationOverdue], false),
        ("RL-10", "m10", [FindingCode.annualReportMissing], false),
    ]

    /// Deadline day for a case opened on 2026-07-01: opening day not counted, 0 = the opening day.
    static let deadlines: [String: String?] = [
        "RL-01": "2026-07-16", "RL-02": "2026-07-11", "RL-03": "2026-07-11", "RL-04": nil,
        "RL-05": "2026-07-01", "RL-07": nil, "RL-08": "2026-07-31", "RL-09": "2026-07-31", "RL-10": "2026-07-31",
        "RL-11": "2026-07-16",
    ]

    static func worldWithEveryTrigger() -> PolicyWorld {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("clean")
        for t in Self.merchantTriggers {
            w.addClean(t.merchant) { m in
                m.findingCodes = t.findings
                if t.seriousList { m.registry!.seriousViolationList = true }
            }
        }
        w.update("m02") { $0.record.licenceDisplayed = false }
        w.update("m05") { $0.registry!.registrationStatus = .revoked }
        w.addClean("m11")
        w.addEvent("m11", "E-PEN-1", .penalty, nil, on: Scenario.day("2026-06-30"))
        return w
    }

    func testEveryCaseTriggerOpensOneCaseWithGuidanceAndItsDeadline() {
        let w = Self.worldWithEveryTrigger()
        let o = w.pass()
        XCTAssertTrue(w.cases("clean").isEmpty, "a clean merchant triggers nothing")
        let rules = Self.merchantTriggers.map { ($0.rule, $0.merchant) } + [("RL-11", "m11")]
        XCTAssertEqual(o.openedCases.count, rules.count)
        XCTAssertTrue(o.changedCases.isEmpty)
        // RL-05 stops service at once (issue 13 correction 4; PolicyLadderScenarioTests).
        if let m05 = w.onlyCase("m05") {
            XCTAssertEqual(m05.state, .terminated)
            XCTAssertEqual(w.instructions(case: m05.id).map(\.kind), [.terminate])
        } else {
            XCTFail("RL-05 opened no case")
        }
        // RL-04 takes the goods down at once (issue 13 correction 3; LicenceScopeScenarioTests).
        if let m04 = w.onlyCase("m04") {
            XCTAssertEqual(m04.state, .open)
            XCTAssertNil(m04.deadlineDay)
            XCTAssertEqual(w.instructions(case: m04.id).map(\.kind), [.takedown])
        } else {
            XCTFail("RL-04 opened no case")
        }
        for (rule, merchant) in rules where rule != "RL-05" && rule != "RL-04" {
            guard let c = w.onlyCase(merchant) else { continue }
            let t = Scenario.trigger(rule)
            XCTAssertEqual(c.ruleID, rule, merchant)
            XCTAssertEqual(c.state, .open, rule)
            XCTAssertEqual(c.openedDay, d("2026-07-01"), rule)
            XCTAssertEqual(c.openedAt, PolicyCalendar.startOf(day: d("2026-07-01")), rule)
            XCTAssertEqual(Scenario.text(c.deadlineDay), Self.deadlines[rule]!, rule)
            XCTAssertEqual(c.rule.deadlineDays, t.deadlineDays, rule)
            XCTAssertEqual(c.rule.severity, t.severity, rule)
            XCTAssertEqual(c.rule.addressee, t.addressee, rule)
            XCTAssertEqual(c.rule.ladderID, t.ladder, rule)
            XCTAssertEqual(c.rule.steps.map(\.kind), t.ladder.map { w.pack.ladders[$0]!.steps.map(\.kind) } ?? [], rule)
            XCTAssertEqual(c.subject, w.merchants[w.index(merchant)].record.uscc, rule)
            XCTAssertEqual(c.packSerial, 1)
            XCTAssertEqual(c.rule.packVersion, "chengdu-2026.1")
            let g = w.instructions(case: c.id)
            XCTAssertEqual(g.map(\.kind), [.guidance], rule)
            guard let guidance = g.first else { continue }
            XCTAssertEqual(c.instructionIDs, [guidance.id])
            XCTAssertTrue(guidance.id.hasPrefix("tb-guidance-000000"), guidance.id)
            XCTAssertEqual(guidance.merchantID, merchant)
            XCTAssertEqual(guidance.ruleID, rule)
            XCTAssertEqual(guidance.deadlineDay, c.deadlineDay, rule)
            XCTAssertEqual(Scenario.text(guidance.receiptDueDay), "2026-07-06", "[guidance] receipt_days = 5")
            XCTAssertEqual(guidance.reason, t.reason)
            XCTAssertEqual(guidance.action, t.action)
            XCTAssertEqual(guidance.basis, t.basis)
            XCTAssertNil(guidance.step)
            XCTAssertTrue(guidance.kind.expectsReceipt)
        }
        // Ids: cases numbered in trigger order, one counter for all instructions (prompts last).
        XCTAssertEqual(o.openedCases.map(\.id), (1...10).map { "tb-case-" + String(format: "%08d", $0) })
        XCTAssertEqual(o.openedCases.map(\.ruleID), ["RL-01", "RL-02", "RL-03", "RL-04", "RL-05", "RL-07", "RL-08", "RL-09", "RL-10", "RL-11"])
        XCTAssertEqual(o.instructions.map(\.id), (1...10).map {
            ($0 == 5 ? "tb-terminate-" : $0 == 4 ? "tb-takedown-" : "tb-guidance-") + String(format: "%08d", $0)
        })
        XCTAssertEqual(o.nextCaseNumber, 11)
        // RL-07's listing also asks for the credit-repair prompt (PR-05), and the RL-11 penalty too.
        XCTAssertEqual(o.prompts.map { "\($0.merchantID) \($0.promptID) \($0.instructionID)" },
                       ["m07 PR-05 tb-prompt-00000011", "m11 PR-05 tb-prompt-00000012"])
        XCTAssertEqual(o.nextInstructionNumber, 13)
    }

    func testCaseEvidenceCarriesFindingsAndTheRulesPaths() {
        let w = Self.worldWithEveryTrigger()
        w.pass()
        let rl02 = w.onlyCase("m02")!
        XCTAssertEqual(rl02.evidence, [
            PolicyEvidence(field: "finding", expected: nil, found: "LICENCE_NOT_DISPLAYED", source: "LICENCE_NOT_DISPLAYED"),
            PolicyEvidence(field: "merchant.licence_displayed", expected: nil, found: "false", source: "merchant"),
        ])
        let rl05 = w.onlyCase("m05")!
        XCTAssertEqual(rl05.evidence.map(\.field), ["finding", "registry.registration_status", "merchant.status"])
        XCTAssertEqual(rl05.evidence.map(\.found), ["REGISTRY_ENDED_WHILE_ACTIVE", "revoked", "active"])
        let rl07 = w.onlyCase("m07")!
        XCTAssertEqual(rl07.evidence, [PolicyEvidence(field: "registry.serious_violation_list", expected: nil, found: "true", source: "registry")])
        let rl11 = w.onlyCase("m11")!
        XCTAssertEqual(rl11.caseKey, "E-PEN-1")
        XCTAssertEqual(rl11.evidence.map(\.field), ["event.event_id", "event.event_type", "event.severity", "event.occurred_at", "event.description"])
        XCTAssertEqual(rl11.evidence.map(\.found), ["E-PEN-1", "penalty", nil, "2026-06-30", "事件E-PEN-1"])
        XCTAssertEqual(Set(rl11.evidence.map(\.source)), ["event"])
    }

    func testAMerchantTriggerOpensNoSecondCaseWhileOneIsOpen() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("a") { $0.findingCodes = [FindingCode.licenceNotDisplayed] }
        w.pass()
        for (_, o) in w.advance(to: "2026-07-05") { XCTAssertTrue(o.openedCases.isEmpty) }
        XCTAssertEqual(w.cases("a").count, 1)
    }

    func testAClosedStorefrontOpensNoCase() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("closed") { $0.record.status = .closed; $0.findingCodes = [FindingCode.usccFormat] }
        w.addClean("nostatus") { $0.record.status = nil; $0.findingCodes = [FindingCode.usccFormat] }
        w.pass()
        XCTAssertTrue(w.cases("closed").isEmpty)
        XCTAssertEqual(w.cases("nostatus").map(\.ruleID), ["RL-03"], "a missing status is taken as active")
    }

    // MARK: RL-11 windows

    func testRL11OpensOnlyForSeriousEventsWithinThirtyDaysOfOccurring() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("a")
        w.addEvent("a", "PEN-29", .penalty, nil, on: d("2026-06-02"))          // 29 days before: in (today − 30, today]
        w.addEvent("a", "PEN-30", .penalty, nil, on: d("2026-06-01"))          // 30 days before: out
        w.addEvent("a", "REC", .recall, .general, on: d("2026-06-30"))         // a recall is no serious event (issue 13)
        w.addEvent("a", "VIO-S", .violation, .serious, on: d("2026-06-30"))
        w.addEvent("a", "VIO-G", .violation, .general, on: d("2026-06-30"))    // not serious
        w.addEvent("a", "CMP-S", .complaint, .serious, on: d("2026-06-30"))    // a complaint is not a serious event
        w.addEvent("a", "DIS", .dispute, .serious, on: d("2026-06-30"))
        w.addEvent("a", "PEN-FUT", .penalty, nil, on: d("2026-07-03"))         // dated after today: not yet
        w.pass()
        XCTAssertEqual(w.cases("a").map(\.caseKey), ["PEN-29", "VIO-S"], "a voluntary recall must never count against the merchant")
        XCTAssertTrue(w.cases("a").allSatisfy { $0.ruleID == "RL-11" && Scenario.text($0.deadlineDay) == "2026-07-16" })
        // One case per event, never a second: later passes add only the event whose day came.
        w.next()
        XCTAssertTrue(w.last.openedCases.isEmpty)
        w.next()
        XCTAssertEqual(w.last.openedCases.map(\.caseKey), ["PEN-FUT"])
        XCTAssertEqual(Scenario.text(w.last.openedCases.first?.deadlineDay), "2026-07-18")
        w.advance(to: "2026-07-10")
        XCTAssertEqual(w.cases("a").count, 3)
    }

    // MARK: Rectification in time and the art. 33 determination

    /// Each condition-cleared rule, cleared three days after opening.
    func testRectifiedInTimeWithTheDeterminationOfEachSeverity() {
        let w = Self.worldWithEveryTrigger()
        w.pass()
        // RL-05 stopped service at once; its clearing is recorded on the terminated case, without
        // determination or reinstatement (§6.6).
        w.setFindings("m05", [])
        w.pass(seconds: 5 * 3600)
        XCTAssertEqual(w.last.changedCases.map(\.ruleID), ["RL-05"])
        let m05 = w.onlyCase("m05")!
        XCTAssertEqual(m05.state, .terminated)
        XCTAssertNotNil(m05.rectifiedAt)
        XCTAssertNil(m05.determination)
        w.next("2026-07-02")
        w.next("2026-07-03")
        XCTAssertTrue(w.last.changedCases.isEmpty)
        for t in Self.merchantTriggers {
            w.update(t.merchant) { m in m.findingCodes = []; m.registry!.seriousViolationList = false }
        }
        w.next("2026-07-04")
        let rectifiedAt = { (rule: String) -> Int64 in
            rule == "RL-05" ? PolicyCalendar.startOf(day: self.d("2026-07-01")) + 5 * 3600 : PolicyCalendar.startOf(day: self.d("2026-07-04"))
        }
        let expected: [String: CaseDetermination.Result] = [
            "RL-01": .mayNotPenalize, "RL-02": .noPenalty, "RL-03": .mayNotPenalize, "RL-04": .none, "RL-05": .none,
            "RL-07": .none, "RL-08": .mayNotPenalize, "RL-09": .notApplicable, "RL-10": .mayNotPenalize,
        ]
        XCTAssertEqual(w.last.changedCases.count, Self.merchantTriggers.count - 1)
        for t in Self.merchantTriggers where t.rule != "RL-05" {
            guard let c = w.onlyCase(t.merchant) else { continue }
            XCTAssertEqual(c.state, .rectified, t.rule)
            XCTAssertEqual(c.rectifiedAt, rectifiedAt(t.rule), t.rule)
            XCTAssertEqual(c.closedAt, c.rectifiedAt, t.rule)
            let det = c.determination
            XCTAssertEqual(det?.result, expected[t.rule], t.rule)
            XCTAssertEqual(det?.first, true, t.rule)
            XCTAssertEqual(det?.inTime, true, t.rule)
            XCTAssertEqual(det?.noHarm, true, t.rule)
            XCTAssertEqual(det?.harmEvents, 0, t.rule)
            XCTAssertEqual(det?.earlierCases, [], t.rule)
            XCTAssertEqual(det?.rectifiedOn, PolicyCalendar.day(of: rectifiedAt(t.rule)), t.rule)
            XCTAssertEqual(det?.deadlineDay, c.deadlineDay, t.rule)
            XCTAssertEqual(det?.basis, "《中华人民共和国行政处罚法》第三十三条")
            let kinds = w.kinds(case: c.id)
            XCTAssertEqual(kinds, [t.rule == "RL-04" ? .takedown : .guidance, .rectificationConfirmed], t.rule)
            guard let confirmation = w.instructions(case: c.id).last else { continue }
            XCTAssertEqual(c.instructionIDs.last, confirmation.id)
            XCTAssertTrue(confirmation.id.hasPrefix("tb-guidance-"), "confirmations go into guidance-* files")
            XCTAssertFalse(confirmation.kind.expectsReceipt)
            XCTAssertNil(confirmation.receiptDueDay)
            XCTAssertEqual(confirmation.inTime, true)
            XCTAssertEqual(confirmation.determination, det)
            XCTAssertEqual(confirmation.guidanceID, c.instructionIDs.first)
            XCTAssertEqual(confirmation.rectifiedAt, c.rectifiedAt)
            switch expected[t.rule]! {
            case .noPenalty:
                XCTAssertNil(confirmation.educationNote, "the education note waits for an officer's decision")
                XCTAssertEqual(det?.note, w.pack.determination.educationNote, "carried to the regulator in the case")
            case .mayNotPenalize:
                XCTAssertNil(confirmation.educationNote)
                XCTAssertEqual(det?.note, w.pack.determination.mayNotPenalizeNote)
            default:
                XCTAssertNil(confirmation.educationNote, t.rule)
                XCTAssertNil(det?.note, t.rule)
            }
        }
        // Nothing more happens to closed cases (m11's RL-11 case is still open and escalates).
        let count = w.issued.filter { $0.merchantID != "m11" }.count
        w.advance(to: "2026-09-01")
        XCTAssertEqual(w.issued.filter { $0.merchantID != "m11" }.count, count)
    }

    func testRL11IsRectifiedByARectifiedReceiptNotByTime() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("a")
        w.addEvent("a", "PEN", .penalty, .serious, on: d("2026-07-01"))
        w.pass()
        let c = w.onlyCase("a")!
        let guidance = c.instructionIDs[0]
        w.advance(to: "2026-07-05")
        XCTAssertEqual(w.allCases[c.id]?.state, .open, "an event never clears in data")
        w.receipt(guidance, .rectified, at: PolicyCalendar.startOf(day: d("2026-07-05")) + 9 * 3600)
        w.next()
        let closed = w.allCases[c.id]!
        XCTAssertEqual(closed.state, .rectified)
        XCTAssertEqual(closed.rectifiedAt, PolicyCalendar.startOf(day: d("2026-07-05")) + 9 * 3600, "dated by the receipt's at")
        XCTAssertEqual(closed.determination?.result, CaseDetermination.Result.none, "serious: no proposal")
        XCTAssertEqual(Scenario.text(closed.determination?.rectifiedOn), "2026-07-05")
        XCTAssertEqual(w.last.receiptChanges.map(\.state), [.rectified])
        XCTAssertEqual(w.kinds(case: c.id), [.guidance, .rectificationConfirmed])
        // Never reopened, although the event is still within 30 days.
        w.advance(to: "2026-07-20")
        XCTAssertEqual(w.cases("a").count, 1)
    }

    /// The usual order: the platform first confirms delivery of the guidance (`executed`), and
    /// later reports the rectification quoting the same instruction id (docs/policy.md §6.3: "a
    /// receipt with action `rectified` for any instruction of the case closes it").
    func testRL11RectifiedReceiptAfterTheGuidanceWasAlreadyExecuted() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("a")
        w.addEvent("a", "PEN", .penalty, .general, on: d("2026-06-30"))
        w.pass()
        let c = w.onlyCase("a")!
        w.receipt(c.instructionIDs[0], .executed)
        w.next()
        XCTAssertEqual(w.last.receiptChanges.map(\.state), [.executed])
        XCTAssertEqual(w.allCases[c.id]?.state, .open)
        w.advance(to: "2026-07-07")
        w.receipt(c.instructionIDs[0], .rectified)
        w.next("2026-07-08")
        XCTAssertEqual(w.allCases[c.id]?.state, .rectified)
        XCTAssertEqual(Scenario.text(w.allCases[c.id]?.determination?.rectifiedOn), "2026-07-07")
    }

    func testRL11RectifiedLateAfterTheWarning() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("a")
        w.addEvent("a", "VIO", .violation, .serious, on: d("2026-07-01"))
        w.pass()
        let c = w.onlyCase("a")!
        w.advance(to: "2026-07-17")
        XCTAssertEqual(w.issueDays(case: c.id), ["guidance@2026-07-01", "warning@2026-07-17"])
        let warning = w.allCases[c.id]!.instructionIDs[1]
        w.receipt(warning, .rectified)
        w.next()
        XCTAssertEqual(w.allCases[c.id]?.state, .rectifiedLate)
        XCTAssertEqual(w.allCases[c.id]?.determination?.inTime, false)
    }

    func testARectifiedReceiptDoesNotCloseAConditionCase() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("a") { $0.findingCodes = [FindingCode.licenceNotDisplayed] }
        w.pass()
        let c = w.onlyCase("a")!
        w.receipt(c.instructionIDs[0], .rectified)
        w.next()
        XCTAssertEqual(w.last.receiptChanges.map(\.state), [.rectified], "recorded as the platform's claim")
        XCTAssertEqual(w.allCases[c.id]?.state, .open, "the data is the proof")
    }

    func testUnknownConditionKeepsTheCaseOpen() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("a") { $0.registry!.seriousViolationList = true }
        w.pass()
        let c = w.onlyCase("a", "RL-07")!
        w.update("a") { $0.registry = nil }          // the registry entry disappeared: unknown
        w.next()
        XCTAssertEqual(w.allCases[c.id]?.state, .open)
        w.update("a") { $0.registry = Scenario.cleanMerchant("a").registry }
        w.next()
        XCTAssertEqual(w.allCases[c.id]?.state, .rectified)
    }

    // MARK: first, harm

    func testFirstIsFalseWhenAnEarlierCaseOfTheSameRuleAndSubjectWithin365Days() {
        let w = PolicyWorld(start: "2025-07-01")
        w.addClean("a")
        w.addClean("b", uscc: w.merchants[0].record.uscc)     // another storefront of the same enterprise
        w.addClean("c")
        w.setFindings("a", [FindingCode.licenceNotDisplayed])
        w.pass()                                                // a: RL-02 opened 2025-07-01
        w.setFindings("a", [])
        w.next()
        let earlier = w.onlyCase("a")!
        XCTAssertEqual(earlier.determination?.result, .noPenalty)

        // Exactly 365 days later, the other storefront of the USCC: not first.
        w.advance(to: "2026-06-30")
        w.setFindings("b", [FindingCode.licenceNotDisplayed])
        w.setFindings("c", [FindingCode.displayedUSCCMismatch, FindingCode.licenceNotDisplayed])  // other subject; RL-03 too
        w.next("2026-07-01")
        w.setFindings("b", [])
        w.setFindings("c", [FindingCode.displayedUSCCMismatch])
        w.next()
        let second = w.onlyCase("b")!
        XCTAssertEqual(second.state, .rectified)
        XCTAssertEqual(second.determination?.first, false)
        XCTAssertEqual(second.determination?.earlierCases, [earlier.id])
        // Art. 33 ¶1 sentence 1 has no "first" condition (issue 13): minor, in time, no harm is
        // 不予处罚 all the same; "first" is recorded, and matters only for sentence 2.
        XCTAssertEqual(second.determination?.result, .noPenalty, "minor, corrected in time, no harm: not-first does not matter")
        XCTAssertEqual(second.determination?.note, w.pack.determination.educationNote)
        // Another subject's history does not count; another rule's case of the same subject does not either.
        let other = w.onlyCase("c", "RL-02")!
        XCTAssertEqual(other.determination?.first, true)
        XCTAssertEqual(other.determination?.result, .noPenalty)
    }

    func testFirstIsTrueWhenTheEarlierCaseOpened366DaysBefore() {
        let w = PolicyWorld(start: "2025-07-01")
        w.addClean("a") { $0.findingCodes = [FindingCode.licenceNotDisplayed] }
        w.pass()
        w.setFindings("a", [])
        w.next()
        w.today = Scenario.day("2026-07-01")
        w.setFindings("a", [FindingCode.licenceNotDisplayed])
        w.pass()                                                 // 2026-07-01 − 2025-07-01 = 365 days
        w.setFindings("a", [])
        w.next()
        XCTAssertEqual(w.cases("a").last?.determination?.first, false)
        w.setFindings("a", [FindingCode.licenceNotDisplayed])
        w.next("2026-07-03")
        XCTAssertEqual(w.cases("a").count, 3)
        w.setFindings("a", [])
        w.next()
        // 2026-07-03 is 367 days after the first case but only 2 after the second: not first.
        XCTAssertEqual(w.cases("a").last?.determination?.earlierCases, [w.cases("a")[1].id])

        let v = PolicyWorld(start: "2025-07-01")
        v.addClean("a") { $0.findingCodes = [FindingCode.licenceNotDisplayed] }
        v.pass()
        v.setFindings("a", [])
        v.next()
        v.today = Scenario.day("2026-07-02")                      // 366 days after: outside the lookback
        v.setFindings("a", [FindingCode.licenceNotDisplayed])
        v.pass()
        v.setFindings("a", [])
        v.next()
        XCTAssertEqual(v.cases("a").last?.determination?.first, true)
        XCTAssertEqual(v.cases("a").last?.determination?.result, .noPenalty)
    }

    func testHarmAfterOpeningPreventsNoPenalty() {
        let w = PolicyWorld(start: "2026-07-01")
        for id in ["harm", "before", "minor", "nosev", "seriousharm", "generalharm"] {
            w.addClean(id) { $0.findingCodes = [FindingCode.licenceNotDisplayed] }
        }
        w.update("seriousharm") { $0.findingCodes = [FindingCode.registryChangeNotDisplayed] }
        w.update("generalharm") { $0.findingCodes = [FindingCode.registryChangeNotDisplayed] }
        w.addEvent("before", "C0", .complaint, .general, on: d("2026-06-30"))     // before the case: no harm
        w.pass()
        w.addEvent("harm", "C1", .complaint, .general, on: d("2026-07-02"))
        w.addEvent("minor", "C2", .complaint, .minor, on: d("2026-07-02"))        // minor complaint: no harm
        w.addEvent("nosev", "D1", .dispute, nil, on: d("2026-07-02"))             // missing severity counts as general
        w.addEvent("seriousharm", "V1", .violation, .serious, on: d("2026-07-02"))
        w.addEvent("generalharm", "C3", .complaint, .general, on: d("2026-07-02"))
        w.next("2026-07-03")
        for id in ["harm", "before", "minor", "nosev", "seriousharm", "generalharm"] { w.setFindings(id, []) }
        w.next()
        func det(_ m: String) -> CaseDetermination? { w.cases(m).first { $0.ruleID != "RL-11" }?.determination }
        XCTAssertEqual(det("harm")?.result, CaseDetermination.Result.none)
        XCTAssertEqual(det("harm")?.noHarm, false)
        XCTAssertEqual(det("harm")?.harmEvents, 1)
        XCTAssertEqual(det("before")?.result, .noPenalty)
        XCTAssertEqual(det("minor")?.result, .noPenalty)
        XCTAssertEqual(det("nosev")?.result, CaseDetermination.Result.none)
        XCTAssertEqual(det("nosev")?.harmEvents, 1)
        // General rules: only serious harm prevents may_not_penalize.
        XCTAssertEqual(det("generalharm")?.result, .mayNotPenalize)
        XCTAssertEqual(det("seriousharm")?.result, CaseDetermination.Result.none)
    }

    // MARK: Other endings

    func testAStorefrontClosingWhileTheConditionHoldsEndsTheCase() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("a") { $0.findingCodes = [FindingCode.usccFormat] }
        w.addClean("b") { $0.findingCodes = [FindingCode.registryEndedWhileActive] }
        w.pass()
        // RL-05: closing the shop is the remedy (the finding clears when the storefront closes);
        // its deadline is the opening day, so a later pass that day.
        w.update("b") { $0.record.status = .closed; $0.findingCodes = [] }
        w.pass(seconds: 3600)
        w.update("a") { $0.record.status = .closed }
        w.next()
        let a = w.onlyCase("a")!
        XCTAssertEqual(a.state, .ended)
        XCTAssertNil(a.determination)
        XCTAssertEqual(w.kinds(case: a.id), [.guidance])
        let b = w.onlyCase("b")!
        XCTAssertEqual(b.state, .terminated, "RL-05 stopped service at once; closing the shop clears it afterwards")
        XCTAssertNotNil(b.rectifiedAt)
        XCTAssertNil(b.determination)
        w.advance(to: "2026-08-01")
        XCTAssertEqual(w.kinds(case: a.id), [.guidance])
    }

    func testRL06IssuesThePromptAndOpensNoCase() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("a") { $0.registry!.abnormalList = true }
        w.pass()
        XCTAssertTrue(w.cases("a").isEmpty)
        XCTAssertEqual(w.last.prompts.map { "\($0.promptID) \($0.cause ?? "-") \($0.windowKey)" }, ["PR-05 RL-06 E2026-07-01"])
        w.advance(to: "2026-08-30")
        XCTAssertTrue(w.cases("a").isEmpty)
        XCTAssertEqual(w.promptLog.count, 1)
    }
}
