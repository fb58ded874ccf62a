import SandboxCore
import SandboxPolicy
import SandboxWire

/// Reads a stored case (`CaseRecord`) and its rule's snapshot with the house's byte-level parser
/// instead of Foundation's JSONDecoder, which took 30–40 µs a case: a third of the pass's thread on
/// a day that confirms 74,000 rectifications, each case read to be changed (issue 16, session 28).
///
/// It reads what the synthesized `Codable` read: members by their property names in any order,
/// others ignored, an optional member absent or null for none. Anything else — a member missing or
/// of another type, an unknown state — gives nil, and the caller reads the record with JSONDecoder
/// as before, which names the problem. A test compares both readers on cases with every member set
/// and with every optional one left out.
enum CaseRecordReader {
    typealias Object = [String: JSONValue]

    /// The case of a record without its rule (`CaseRecord.json`), with `rule` read already.
    static func policyCase(_ record: [UInt8], rule: CaseRuleSnapshot) -> PolicyCase? {
        guard case .object(let o)? = record.withUnsafeBufferPointer({ JSONValueParser.parse($0) }) else { return nil }
        return policyCase(o, rule: rule)
    }

    /// A rule's snapshot as `case_rules.rule` stores it.
    static func rule(_ json: [UInt8]) -> CaseRuleSnapshot? {
        guard case .object(let o)? = json.withUnsafeBufferPointer({ JSONValueParser.parse($0) }) else { return nil }
        return rule(o)
    }

    private static func policyCase(_ o: Object, rule: CaseRuleSnapshot) -> PolicyCase? {
        guard let id = o["id"]?.stringValue, let merchantID = o["merchantID"]?.stringValue,
              let uscc = JSONValue.optional(o["uscc"], \.stringValue), let subject = o["subject"]?.stringValue,
              let ruleID = o["ruleID"]?.stringValue, let caseKey = o["caseKey"]?.stringValue,
              case .array(let evidenceItems)? = o["evidence"],
              let state = o["state"]?.stringValue.flatMap(PolicyCase.State.init(rawValue:)),
              let openedAt = o["openedAt"]?.intValue, let openedDay = int(o["openedDay"]),
              let deadlineDay = JSONValue.optional(o["deadlineDay"], int), let stepsIssued = int(o["stepsIssued"]),
              let lastStepDay = JSONValue.optional(o["lastStepDay"], int),
              let suspensionInForce = o["suspensionInForce"]?.boolValue,
              let rectifiedAt = JSONValue.optional(o["rectifiedAt"], \.intValue),
              let closedAt = JSONValue.optional(o["closedAt"], \.intValue),
              let closeReason = JSONValue.optional(o["closeReason"], \.stringValue),
              let determination = JSONValue.optional(o["determination"], { $0.objectValue.flatMap(Self.determination) }),
              let instructionIDs = strings(o["instructionIDs"]), let packSerial = int(o["packSerial"]),
              let proposal = JSONValue.optional(o["proposal"], { $0.objectValue.flatMap(Self.proposal) }) else { return nil }
        var evidence: [PolicyEvidence] = []
        evidence.reserveCapacity(evidenceItems.count)
        for item in evidenceItems {
            guard let e = item.objectValue, let field = e["field"]?.stringValue,
                  let expected = JSONValue.optional(e["expected"], \.stringValue),
                  let found = JSONValue.optional(e["found"], \.stringValue),
                  let source = e["source"]?.stringValue else { return nil }
            evidence.append(PolicyEvidence(field: field, expected: expected, found: found, source: source))
        }
        return PolicyCase(id: id, merchantID: merchantID, uscc: uscc, subject: subject, ruleID: ruleID, caseKey: caseKey,
                          rule: rule, evidence: evidence, state: state, openedAt: openedAt, openedDay: openedDay,
                          deadlineDay: deadlineDay, stepsIssued: stepsIssued, lastStepDay: lastStepDay,
                          suspensionInForce: suspensionInForce, rectifiedAt: rectifiedAt, closedAt: closedAt,
                          closeReason: closeReason, determination: determination, instructionIDs: instructionIDs,
                          packSerial: packSerial, proposal: proposal)
    }

    private static func rule(_ o: Object) -> CaseRuleSnapshot? {
        guard let title = o["title"]?.stringValue,
              let severity = o["severity"]?.stringValue.flatMap(FindingSeverity.init(rawValue:)),
              let addressee = o["addressee"]?.stringValue.flatMap(PackAddressee.init(rawValue:)),
              let reason = o["reason"]?.stringValue, let action = o["action"]?.stringValue,
              let basis = o["basis"]?.stringValue, let deadlineDays = JSONValue.optional(o["deadlineDays"], int),
              let clearsBy = o["clearsBy"]?.stringValue.flatMap(PackTrigger.ClearsBy.init(rawValue:)),
              let ladderID = JSONValue.optional(o["ladderID"], \.stringValue), case .array(let stepItems)? = o["steps"],
              let packVersion = o["packVersion"]?.stringValue else { return nil }
        var steps: [PackLadder.Step] = []
        for item in stepItems {
            guard let s = item.objectValue, let kind = s["kind"]?.stringValue.flatMap(LadderStepKind.init(rawValue:)),
                  let afterDays = int(s["afterDays"]), let receiptDays = int(s["receiptDays"]),
                  let action = s["action"]?.stringValue, let basis = s["basis"]?.stringValue,
                  // Snapshots taken before steps had `confirm`: absent is `auto` (`PackLadder.Step`).
                  let confirm = JSONValue.optional(s["confirm"], { $0.stringValue.flatMap(StepConfirmation.init(rawValue:)) })
            else { return nil }
            steps.append(PackLadder.Step(kind: kind, afterDays: afterDays, receiptDays: receiptDays, action: action,
                                         basis: basis, confirm: confirm ?? .auto))
        }
        return CaseRuleSnapshot(title: title, severity: severity, addressee: addressee, reason: reason, action: action,
                                basis: basis, deadlineDays: deadlineDays, clearsBy: clearsBy, ladderID: ladderID, steps: steps,
                                packVersion: packVersion)
    }

    private static func determination(_ o: Object) -> CaseDetermination? {
        guard let result = o["result"]?.stringValue.flatMap(CaseDetermination.Result.init(rawValue:)),
              let basis = o["basis"]?.stringValue, let severityHolds = o["severityHolds"]?.boolValue,
              let first = o["first"]?.boolValue, let earlierCases = strings(o["earlierCases"]),
              let inTime = o["inTime"]?.boolValue, let rectifiedOn = int(o["rectifiedOn"]),
              let deadlineDay = JSONValue.optional(o["deadlineDay"], int), let harmEvents = int(o["harmEvents"]),
              let noHarm = o["noHarm"]?.boolValue,
              let note = JSONValue.optional(o["note"], \.stringValue) else { return nil }
        return CaseDetermination(result: result, basis: basis, severityHolds: severityHolds, first: first,
                                 earlierCases: earlierCases, inTime: inTime, rectifiedOn: rectifiedOn, deadlineDay: deadlineDay,
                                 harmEvents: harmEvents, noHarm: noHarm, note: note)
    }

    private static func proposal(_ o: Object) -> CaseProposal? {
        guard let step = int(o["step"]), let kind = o["kind"]?.stringValue.flatMap(LadderStepKind.init(rawValue:)),
              let state = o["state"]?.stringValue.flatMap(CaseProposal.State.init(rawValue:)),
              let firstProposedAt = o["firstProposedAt"]?.intValue, let proposedAt = o["proposedAt"]?.intValue,
              let deferredUntilDay = JSONValue.optional(o["deferredUntilDay"], int),
              let decidedBy = JSONValue.optional(o["decidedBy"], \.stringValue),
              let decidedAt = JSONValue.optional(o["decidedAt"], \.intValue),
              let reason = JSONValue.optional(o["reason"], \.stringValue),
              let directiveID = JSONValue.optional(o["directiveID"], \.stringValue) else { return nil }
        return CaseProposal(step: step, kind: kind, state: state, firstProposedAt: firstProposedAt, proposedAt: proposedAt,
                            deferredUntilDay: deferredUntilDay, decidedBy: decidedBy, decidedAt: decidedAt, reason: reason,
                            directiveID: directiveID)
    }

    /// A whole number that fits `Int`.
    private static func int(_ v: JSONValue?) -> Int? { v?.intValue.flatMap { Int(exactly: $0) } }

    /// An array of strings; nil when absent or when any element is not a string.
    private static func strings(_ v: JSONValue?) -> [String]? {
        guard let items = v?.arrayValue else { return nil }
        var out: [String] = []
        out.reserveCapacity(items.count)
        for item in items {
            guard let s = item.stringValue else { return nil }
            out.append(s)
        }
        return out
    }
}
