import SandboxPolicy

/// A case's stored record (schema v10): the case's JSON without its rule's snapshot, which is
/// stored once in `case_rules` for every case of that rule and pack. The snapshot's texts (title,
/// reason, action, basis, every ladder step's) were most of a record's 2 KB, the same in
/// thousands of rows (issue 16). The record is written without it (`json`) and read with the rule
/// read once per rule (`CaseRecordReader`); JSONDecoder reads, with the rule put back
/// (`withRule`), what that reader does not know.
enum CaseRecord {
    private static let ruleKey = Array(#""rule":"#.utf8)

    /// The record: the case's JSON as `AgentState.caseEncoder` (JSONEncoder, sorted keys) writes
    /// it, nil members left out, without `"rule"`. Written here member by member: JSONEncoder took
    /// 32 µs a case, 5 % of a first pass's CPU (issue 16). The same bytes, except that JSONEncoder
    /// escapes `/` as `\/` and this does not (both read back alike). A member added to
    /// `PolicyCase` must be added here: `testACaseRecordIsItsJSONWithoutTheRuleAndReadsBackWhole`
    /// decodes a case with every member set.
    static func json(_ c: PolicyCase) -> [UInt8] {
        var j = JSONLine()
        j.add("caseKey", c.caseKey)
        if let v = c.closeReason { j.add("closeReason", v) }
        if let v = c.closedAt { j.add("closedAt", v) }
        if let v = c.deadlineDay { j.add("deadlineDay", v) }
        if let d = c.determination { j.add("determination", raw: json(d)) }
        j.add("evidence", each: c.evidence) { json($1, &$0) }
        j.add("id", c.id)
        j.add("instructionIDs", strings: c.instructionIDs)
        if let v = c.lastStepDay { j.add("lastStepDay", v) }
        j.add("merchantID", c.merchantID)
        j.add("openedAt", c.openedAt)
        j.add("openedDay", c.openedDay)
        j.add("packSerial", c.packSerial)
        if let p = c.proposal { j.add("proposal", raw: json(p)) }
        if let v = c.rectifiedAt { j.add("rectifiedAt", v) }
        j.add("ruleID", c.ruleID)
        j.add("state", c.state.rawValue)
        j.add("stepsIssued", c.stepsIssued)
        j.add("subject", c.subject)
        j.add("suspensionInForce", c.suspensionInForce)
        if let v = c.uscc { j.add("uscc", v) }
        return j.finished
    }

    private static func json(_ e: PolicyEvidence, _ j: inout JSONLine) {
        if let v = e.expected { j.add("expected", v) }
        j.add("field", e.field)
        if let v = e.found { j.add("found", v) }
        j.add("source", e.source)
    }

    private static func json(_ d: CaseDetermination) -> [UInt8] {
        var j = JSONLine()
        j.add("basis", d.basis)
        if let v = d.deadlineDay { j.add("deadlineDay", v) }
        j.add("earlierCases", strings: d.earlierCases)
        j.add("first", d.first)
        j.add("harmEvents", d.harmEvents)
        j.add("inTime", d.inTime)
        j.add("noHarm", d.noHarm)
        if let v = d.note { j.add("note", v) }
        j.add("rectifiedOn", d.rectifiedOn)
        j.add("result", d.result.rawValue)
        j.add("severityHolds", d.severityHolds)
        return j.finished
    }

    private static func json(_ p: CaseProposal) -> [UInt8] {
        var j = JSONLine()
        if let v = p.decidedAt { j.add("decidedAt", v) }
        if let v = p.decidedBy { j.add("decidedBy", v) }
        if let v = p.deferredUntilDay { j.add("deferredUntilDay", v) }
        if let v = p.directiveID { j.add("directiveID", v) }
        j.add("firstProposedAt", p.firstProposedAt)
        j.add("kind", p.kind.rawValue)
        j.add("proposedAt", p.proposedAt)
        if let v = p.reason { j.add("reason", v) }
        j.add("state", p.state.rawValue)
        j.add("step", p.step)
        return j.finished
    }

    /// The whole record again: `"rule":<rule>` as the object's first member (members' order does
    /// not matter to the decoder).
    static func withRule(_ slim: [UInt8], rule: [UInt8]) -> [UInt8] {
        guard slim.first == 0x7b else { return slim }
        let rest = slim.dropFirst()
        return [0x7b] + ruleKey + rule + (rest.first == 0x7d ? [] : [0x2c]) + rest
    }
}
