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
        guard let id = string(o["id"]), let merchantID = string(o["merchantID"]), let uscc = optional(o["uscc"], string),
              let subject = string(o["subject"]), let ruleID = string(o["ruleID"]), let caseKey = string(o["caseKey"]),
              case .array(let evidenceItems)? = o["evidence"],
              let state = string(o["state"]).flatMap(PolicyCase.State.init(rawValue:)),
              let openedAt = int64(o["openedAt"]), let openedDay = int(o["openedDay"]),
              let deadlineDay = optional(o["deadlineDay"], int), let stepsIssued = int(o["stepsIssued"]),
              let lastStepDay = optional(o["lastStepDay"], int), let suspensionInForce = bool(o["suspensionInForce"]),
              let rectifiedAt = optional(o["rectifiedAt"], int64), let closedAt = optional(o["closedAt"], int64),
              let closeReason = optional(o["closeReason"], string),
              let determination = optional(o["determination"], { object($0).flatMap(Self.determination) }),
              let instructionIDs = strings(o["instructionIDs"]), let packSerial = int(o["packSerial"]),
              let proposal = optional(o["proposal"], { object($0).flatMap(Self.proposal) }) else { return nil }
        var evidence: [PolicyEvidence] = []
        evidence.reserveCapacity(evidenceItems.count)
        for item in evidenceItems {
            guard let e = object(item), let field = string(e["field"]), let expected = optional(e["expected"], string),
                  let found = optional(e["found"], string), let source = string(e["source"]) else { return nil }
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
        guard let title = string(o["title"]), let severity = string(o["severity"]).flatMap(FindingSeverity.init(rawValue:)),
              let addressee = string(o["addressee"]).flatMap(PackAddressee.init(rawValue:)),
              let reason = string(o["reason"]), let action = string(o["action"]), let basis = string(o["basis"]),
              let deadlineDays = optional(o["deadlineDays"], int),
              let clearsBy = string(o["clearsBy"]).flatMap(PackTrigger.ClearsBy.init(rawValue:)),
              let ladderID = optional(o["ladderID"], string), case .array(let stepItems)? = o["steps"],
              let packVersion = string(o["packVersion"]) else { return nil }
        var steps: [PackLadder.Step] = []
        for item in stepItems {
            guard let s = object(item), let kind = string(s["kind"]).flatMap(LadderStepKind.init(rawValue:)),
                  let afterDays = int(s["afterDays"]), let receiptDays = int(s["receiptDays"]),
                  let action = string(s["action"]), let basis = string(s["basis"]),
                  // Snapshots taken before steps had `confirm`: absent is `auto` (`PackLadder.Step`).
                  let confirm = optional(s["confirm"], { string($0).flatMap(StepConfirmation.init(rawValue:)) }) else { return nil }
            steps.append(PackLadder.Step(kind: kind, afterDays: afterDays, receiptDays: receiptDays, action: action,
                                         basis: basis, confirm: confirm ?? .auto))
        }
        return CaseRuleSnapshot(title: title, severity: severity, addressee: addressee, reason: reason, action: action,
                                basis: basis, deadlineDays: deadlineDays, clearsBy: clearsBy, ladderID: ladderID, steps: steps,
                                packVersion: packVersion)
    }

    private static func determination(_ o: Object) -> CaseDetermination? {
        guard let result = string(o["result"]).flatMap(CaseDetermination.Result.init(rawValue:)), let basis = string(o["basis"]),
              let severityHolds = bool(o["severityHolds"]), let first = bool(o["first"]),
              let earlierCases = strings(o["earlierCases"]), let inTime = bool(o["inTime"]),
              let rectifiedOn = int(o["rectifiedOn"]), let deadlineDay = optional(o["deadlineDay"], int),
              let harmEvents = int(o["harmEvents"]), let noHarm = bool(o["noHarm"]),
              let note = optional(o["note"], string) else { return nil }
        return CaseDetermination(result: result, basis: basis, severityHolds: severityHolds, first: first,
                                 earlierCases: earlierCases, inTime: inTime, rectifiedOn: rectifiedOn, deadlineDay: deadlineDay,
                                 harmEvents: harmEvents, noHarm: noHarm, note: note)
    }

    private static func proposal(_ o: Object) -> CaseProposal? {
        guard let step = int(o["step"]), let kind = string(o["kind"]).flatMap(LadderStepKind.init(rawValue:)),
              let state = string(o["state"]).flatMap(CaseProposal.State.init(rawValue:)),
              let firstProposedAt = int64(o["firstProposedAt"]), let proposedAt = int64(o["proposedAt"]),
              let deferredUntilDay = optional(o["deferredUntilDay"], int), let decidedBy = optional(o["decidedBy"], string),
              let decidedAt = optional(o["decidedAt"], int64), let reason = optional(o["reason"], string),
              let directiveID = optional(o["directiveID"], string) else { return nil }
        return CaseProposal(step: step, kind: kind, state: state, firstProposedAt: firstProposedAt, proposedAt: proposedAt,
                            deferredUntilDay: deferredUntilDay, decidedBy: decidedBy, decidedAt: decidedAt, reason: reason,
                            directiveID: directiveID)
    }

    // Members: nil when absent or of another type.

    private static func string(_ v: JSONValue?) -> String? {
        if case .string(let s)? = v { return s }
        return nil
    }

    private static func int64(_ v: JSONValue?) -> Int64? {
        if case .int(let n)? = v { return n }
        return nil
    }

    private static func int(_ v: JSONValue?) -> Int? { int64(v).flatMap { Int(exactly: $0) } }

    private static func bool(_ v: JSONValue?) -> Bool? {
        if case .bool(let b)? = v { return b }
        return nil
    }

    private static func object(_ v: JSONValue) -> Object? {
        if case .object(let o) = v { return o }
        return nil
    }

    private static func strings(_ v: JSONValue?) -> [String]? {
        guard case .array(let items)? = v else { return nil }
        var out: [String] = []
        out.reserveCapacity(items.count)
        for item in items {
            guard case .string(let s) = item else { return nil }
            out.append(s)
        }
        return out
    }

    /// An optional member: `.some(nil)` when absent or null, `.some(value)` when `read` reads it,
    /// nil (refused) when present and unreadable.
    private static func optional<T>(_ v: JSONValue?, _ read: (JSONValue) -> T?) -> T?? {
        guard let v, v != .null else { return .some(nil) }
        return read(v).map { .some($0) }
    }

    private static func optional<T>(_ v: JSONValue?, _ read: (JSONValue?) -> T?) -> T?? {
        guard let v, v != .null else { return .some(nil) }
        return read(v).map { .some($0) }
    }
}
