import XCTest
import SandboxCore
import SandboxPolicy
@testable import SandboxPack

/// Prompts of the Chengdu catalogue (docs/policy.md §7): annual windows at most once a year,
/// episodes that end only when the condition is found false, PR-04 to the platform.
final class PolicyPromptTests: XCTestCase {
    let d = Scenario.day

    func issued(_ w: PolicyWorld, _ merchant: String? = nil) -> [String] {
        w.promptLog.filter { merchant == nil || $0.issue.merchantID == merchant }.map {
            "\(Scenario.text($0.day)!) \($0.issue.merchantID) \($0.issue.promptID) \($0.issue.windowKey)"
        }
    }

    func testAnnualReportWindowsOncePerYear() {
        let w = PolicyWorld(start: "2025-12-31")
        w.addClean("due") { $0.registry!.lastAnnualReportYear = 2024 }      // 2025's report not filed
        w.addClean("filed")                                                   // 2025 filed
        w.addClean("empty") { $0.registry!.lastAnnualReportYear = nil }      // nothing due: unknown, no prompt
        w.addClean("person") { m in m.record.entityType = .naturalPerson; m.registry!.lastAnnualReportYear = 2020 }
        w.addClean("closed") { m in m.record.status = .closed; m.registry!.lastAnnualReportYear = 2024 }
        w.pass()
        XCTAssertTrue(w.promptLog.isEmpty, "2025-12-31 is in no window (and 2024 < 2024 is false)")
        w.next("2026-01-01")
        XCTAssertEqual(issued(w), ["2026-01-01 due PR-01 Y2026"])
        let p = w.promptLog[0].issue
        XCTAssertEqual(Scenario.text(p.windowFrom), "2026-01-01")
        XCTAssertEqual(Scenario.text(p.windowTo), "2026-05-31")
        XCTAssertFalse(p.episode)
        XCTAssertNil(p.cause)
        XCTAssertTrue(p.instructionID.hasPrefix("tb-prompt-"))
        for day in ["2026-01-02", "2026-03-15", "2026-05-31"] { w.next(day) }
        XCTAssertEqual(issued(w).count, 1, "at most once per window")
        w.next("2026-06-01")
        XCTAssertEqual(issued(w).last, "2026-06-01 due PR-02 Y2026")
        XCTAssertEqual(Scenario.text(w.promptLog.last?.issue.windowTo), "2026-06-30")
        for day in ["2026-06-02", "2026-06-30", "2026-07-01", "2026-12-31"] { w.next(day) }
        XCTAssertEqual(issued(w).count, 2)
        w.next("2027-01-01")
        XCTAssertEqual(issued(w).suffix(2), ["2027-01-01 due PR-01 Y2027", "2027-01-01 filed PR-01 Y2027"])
        w.next("2027-01-02")
        XCTAssertEqual(issued(w).count, 4)
    }

    func testEpisodeEndsOnlyWhenFoundFalse() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("a") { $0.findingCodes = [FindingCode.licenceExpiringSoon] }        // PR-03
        w.pass()
        XCTAssertEqual(issued(w), ["2026-07-01 a PR-03 E2026-07-01"])
        XCTAssertEqual(w.promptLog[0].issue.episode, true)
        XCTAssertNil(w.promptLog[0].issue.windowFrom)
        w.next()
        XCTAssertEqual(issued(w).count, 1)
        w.setFindings("a", [])
        w.next()
        XCTAssertEqual(w.last.episodesEnded.map { "\($0.merchantID) \($0.promptID)" }, ["a PR-03"])
        w.next()
        XCTAssertTrue(w.last.episodesEnded.isEmpty, "ended once")
        w.setFindings("a", [FindingCode.licenceExpiringSoon])
        w.next("2026-07-05")
        XCTAssertEqual(issued(w).last, "2026-07-05 a PR-03 E2026-07-05")
    }

    func testPR04GoesToThePlatformAndUnknownDoesNotEndTheEpisode() {
        XCTAssertEqual(Scenario.pack.prompt("PR-04")?.addressee, .platform)
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("a") { $0.record.verifiedAt = Scenario.date("2026-01-31") }    // 6 months end 2026-07-31: within 30 days
        w.addClean("edge") { $0.record.verifiedAt = Scenario.date("2026-02-01") }  // ends 2026-08-01: 31 days, not yet
        w.addClean("over") { $0.record.verifiedAt = Scenario.date("2026-01-01") }  // ended 2026-07-01: overdue, not "due within"
        w.pass()
        XCTAssertEqual(issued(w), ["2026-07-01 a PR-04 E2026-07-01"])
        w.next()
        XCTAssertEqual(issued(w).last, "2026-07-02 edge PR-04 E2026-07-02")
        w.update("a") { $0.record.verifiedAt = nil }                              // unknown: the episode goes on
        w.next()
        XCTAssertTrue(w.last.episodesEnded.isEmpty)
        w.update("a") { $0.record.verifiedAt = Scenario.date("2026-01-31") }
        w.next()
        XCTAssertEqual(issued(w, "a").count, 1, "the episode never ended")
        w.update("a") { $0.record.verifiedAt = Scenario.date("2026-07-04") }      // re-verified: false
        w.next()
        XCTAssertEqual(w.last.episodesEnded.map { "\($0.merchantID) \($0.promptID)" }, ["a PR-04"])
        XCTAssertEqual(issued(w, "over"), [])
    }

    func testPR05ForListsAndPublishedPenalties() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("abn") { $0.registry!.abnormalList = true }                    // RL-06 names PR-05
        w.addClean("pen") { m in
            m.events = [EventRecord(eventID: "P", platformMerchantID: "pen", eventType: .penalty,
                                    occurredAt: PolicyCalendar.startOf(day: Scenario.day("2024-01-01")))]
        }
        w.addClean("old") { m in                                                  // penalty 3 years ago: out of the window
            m.events = [EventRecord(eventID: "Q", platformMerchantID: "old", eventType: .penalty,
                                    occurredAt: PolicyCalendar.startOf(day: Scenario.day("2023-07-01")))]
        }
        w.pass()
        XCTAssertEqual(w.promptLog.map { "\($0.issue.merchantID) \($0.issue.promptID) \($0.issue.cause ?? "-")" },
                       ["abn PR-05 RL-06", "pen PR-05 -"])
        w.update("abn") { $0.registry!.abnormalList = nil }                       // unknown: not ended
        w.next()
        XCTAssertTrue(w.last.episodesEnded.isEmpty)
        XCTAssertTrue(w.last.prompts.isEmpty)
        w.update("abn") { $0.registry!.abnormalList = false }
        w.next()
        XCTAssertEqual(w.last.episodesEnded.map { "\($0.merchantID) \($0.promptID)" }, ["abn PR-05"])
        w.update("abn") { $0.registry!.abnormalList = true }
        w.next()
        XCTAssertEqual(w.last.prompts.map { "\($0.merchantID) \($0.promptID) \($0.cause ?? "-") \($0.windowKey)" },
                       ["abn PR-05 RL-06 E2026-07-04"])
    }
}
