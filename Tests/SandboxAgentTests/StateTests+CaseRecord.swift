import Foundation
@testable import SandboxPolicy
import XCTest
@testable import SandboxAgent

/// A case's stored record is written without its rule, member by member (`CaseRecord.json`): byte
/// for byte the JSON agents stored before, when they cut the rule out of JSONEncoder's encoding,
/// and read back whole with the rule put in. A member added to `PolicyCase` and not to the record
/// fails here.
extension StateTests {
    /// The helper's case with every optional member set.
    func caseWithEveryMember() -> PolicyCase {
        var c = policyCase("p-case-00000009")
        c.lastStepDay = 20_640
        c.rectifiedAt = now + 86_400
        c.closedAt = now + 2 * 86_400
        c.closeReason = "整改完成 \"已复核\"\n"
        c.state = .rectified
        c.stepsIssued = 1
        c.determination = CaseDetermination(result: .noPenalty, basis: "《行政处罚法》第三十三条", severityHolds: true, first: true,
                                            earlierCases: ["p-case-00000001"], inTime: true, rectifiedOn: 20_641,
                                            deadlineDay: 20_642, harmEvents: 0, noHarm: true, note: "首违")
        c.proposal = CaseProposal(step: 1, kind: .warning, state: .deferred, firstProposedAt: now, proposedAt: now + 60,
                                  deferredUntilDay: 20_650, decidedBy: "officer-1", decidedAt: now + 120, reason: "待核实",
                                  directiveID: "d-1")
        return c
    }

    func testACaseRecordIsItsJSONWithoutTheRuleAndReadsBackWhole() throws {
        for c in [policyCase("p-case-00000001"), caseWithEveryMember()] {
            let whole = try AgentState.caseEncoder.encode(c)
            XCTAssertEqual(try JSONDecoder().decode(PolicyCase.self, from: whole), c, "every member is written")
            let rule = Array(try AgentState.caseEncoder.encode(c.rule))
            let slim = CaseRecord.json(c)
            // What agents stored before: the whole JSON with `"rule":<rule>,` cut out.
            let cut = String(decoding: whole, as: UTF8.self)
                .replacingOccurrences(of: #""rule":"# + String(decoding: rule, as: UTF8.self) + ",", with: "")
            XCTAssertEqual(String(decoding: slim, as: UTF8.self), cut)
            XCTAssertFalse(cut.contains(#""rule":"#))
            XCTAssertEqual(try JSONDecoder().decode(PolicyCase.self, from: Data(CaseRecord.withRule(slim, rule: rule))), c)
        }
        let state = try AgentState(path: path)
        let c = caseWithEveryMember()
        try state.transaction { try state.storeCase(c, nextDue: nil) }
        XCTAssertEqual(try state.policyCase(id: c.id), c)
    }

    /// The byte-level reader reads a record and its rule as JSONDecoder does (issue 16: JSONDecoder
    /// was a third of the pass's thread on a day of 74,000 rectifications); what it cannot read, it
    /// leaves to JSONDecoder.
    func testTheCaseReaderReadsWhatJSONDecoderReads() throws {
        var bare = policyCase("p-case-00000002")
        bare.uscc = nil
        bare.deadlineDay = nil
        bare.evidence = [PolicyEvidence(field: "event.type", expected: "x", found: nil, source: "event"), bare.evidence[0]]
        bare.instructionIDs = []
        bare.rule.deadlineDays = nil
        bare.rule.ladderID = nil
        bare.rule.steps = []
        var staff = caseWithEveryMember()
        staff.rule.steps.append(PackLadder.Step(kind: .suspend, afterDays: 5, receiptDays: 1, action: "暂停", basis: "第二十九条",
                                                confirm: .staff))
        staff.determination?.note = nil
        staff.determination?.deadlineDay = nil
        for c in [policyCase("p-case-00000001"), caseWithEveryMember(), bare, staff] {
            let rule = Array(try AgentState.caseEncoder.encode(c.rule))
            XCTAssertEqual(CaseRecordReader.rule(rule), try JSONDecoder().decode(CaseRuleSnapshot.self, from: Data(rule)))
            XCTAssertEqual(CaseRecordReader.rule(rule), c.rule)
            let slim = CaseRecord.json(c)
            XCTAssertEqual(CaseRecordReader.policyCase(slim, rule: c.rule), c)
            XCTAssertEqual(CaseRecordReader.policyCase(slim, rule: c.rule),
                           try JSONDecoder().decode(PolicyCase.self, from: Data(CaseRecord.withRule(slim, rule: rule))))
        }
        // A snapshot taken before steps had `confirm`: absent is `auto`, as `PackLadder.Step` decodes it.
        let c = policyCase("p-case-00000003")
        let older = String(decoding: try AgentState.caseEncoder.encode(c.rule), as: UTF8.self)
            .replacingOccurrences(of: #","confirm":"auto""#, with: "")
        XCTAssertFalse(older.contains("confirm"))
        XCTAssertEqual(CaseRecordReader.rule(Array(older.utf8)), c.rule)
        // What it does not know it refuses, for JSONDecoder to read or name.
        let slim = String(decoding: CaseRecord.json(c), as: UTF8.self)
        for (from, to) in [(#""state":"open""#, #""state":"bogus""#), (#""openedDay":20635"#, #""openedDay":"20635""#),
                           (#""caseKey":"","#, ""), (#""deadlineDay":20642"#, #""deadlineDay":true"#)] {
            let broken = slim.replacingOccurrences(of: from, with: to)
            XCTAssertNotEqual(broken, slim, from)
            XCTAssertNil(CaseRecordReader.policyCase(Array(broken.utf8), rule: c.rule), to)
        }
        // Through the state: the reader, with the rule read once for two cases.
        let state = try AgentState(path: path)
        try state.transaction {
            try state.storeCase(caseWithEveryMember(), nextDue: nil)
            try state.storeCase(c, nextDue: nil)
        }
        XCTAssertEqual(try state.policyCase(id: c.id), c)
        XCTAssertEqual(try state.policyCase(id: caseWithEveryMember().id), caseWithEveryMember())
        XCTAssertEqual(state.caseRulesRead.count, 1)
    }
}
