import SandboxCore
import SandboxPolicy

/// Renders the policy's decisions as JSON: outbox instruction lines (docs/policy.md §9) and the
/// data of policy feed items (§10.1). Only decisions that changed are rendered.
struct PolicyLines {
    let platformID: String
    let pack: RulePack
    let facts: PolicyFacts
    let rowOf: ByteKeyTable
    /// Text the facts do not hold (shop names, evidence texts), read for the few lines written.
    var fetch: (String, ConditionField) -> String? = { _, _ in nil }
    /// The facts' codes by row. A decision carries its merchant's row, so its lines, item and
    /// audit event find the code without hashing the merchant's id into `rowOf`: a first pass
    /// asked 1.4 million times, 3 % of the renderer's thread (issue 16, session 35).
    private let usccs: TextColumn?
    /// The facts' shop names by row, for the same reason: every instruction line names the shop,
    /// and found by id each of a first pass's 463,000 lines hashed the id into `rowOf` and took a
    /// copy of the column out of the facts' dictionary (issue 16, session 40).
    private let shopNames: TextColumn?
    /// What many lines share, rendered once (`LineFragments`); the renderer's thread alone uses it.
    let fragments = LineFragments()
    /// `pack.packVersion`, made once: the pack makes it anew at each ask (a string interpolation),
    /// and every line's closing members asked for it.
    let packVersion: String

    init(platformID: String, pack: RulePack, facts: PolicyFacts, rowOf: ByteKeyTable) {
        self.platformID = platformID; self.pack = pack; self.facts = facts; self.rowOf = rowOf
        packVersion = pack.packVersion
        if case .text(let column)? = facts.columns[.uscc] { usccs = column } else { usccs = nil }
        if case .text(let column)? = facts.columns[.shopName] { shopNames = column } else { shopNames = nil }
    }

    static func day(_ d: Int?) -> String? { d.map { CivilDate(dayNumber: $0).description } }
    /// The end of a day (24:00 Asia/Shanghai) as an instant.
    static func dayEnd(_ d: Int?) -> String? { d.map { UTCTime.rfc3339(PolicyCalendar.end(ofDay: $0)) } }

    func text(_ field: ConditionField, _ merchantID: String) -> String? {
        if let r = rowOf[merchantID], let v = facts.columns[field]?.describe(row: r, type: field.type) { return v }
        return field.type == .text ? fetch(merchantID, field) : nil
    }

    func uscc(_ merchantID: String) -> String? { text(.uscc, merchantID) }

    /// The code of the merchant at `row` of the facts (a decision's row), by its id without one.
    func uscc(_ merchantID: String, row: Int?) -> String? {
        if let row, let usccs, usccs.indices.contains(row) { return usccs[row] }
        return uscc(merchantID)
    }

    /// The shop name of the merchant at `row` of the facts (a decision's row), by its id without one.
    func shopName(_ merchantID: String, row: Int?) -> String? {
        if let row, let shopNames, shopNames.indices.contains(row), let name = shopNames[row] { return name }
        return text(.shopName, merchantID)
    }

    /// Evidence as `{field, expected, found, source}`, written in place.
    static func evidence(_ e: PolicyEvidence, _ j: inout JSONLine) {
        j.add("field", e.field)
        j.add("expected", e.expected)
        j.add("found", e.found)
        j.add("source", e.source)
    }

    /// Fields every instruction line starts with.
    /// `row`: the merchant's row of the facts, when the decision carries it.
    /// `reserving`: room for the whole line, which is then not grown by doubling.
    func common(type: String, id: String, merchantID: String, row: Int? = nil, ruleID: String, ruleTitle: String?,
                caseID: String?, severity: String?, addressee: String?, reason: String?, action: String?, basis: String?,
                evidence: [PolicyEvidence], reserving: Int = 256) -> JSONLine {
        var j = JSONLine(reserving: reserving)
        j.add("instruction_id", id)
        // Capture lists name what a fragment is made of: a closure capturing `self` copied the
        // whole of it (the facts, the pack) at every line, hit or miss.
        j.add(fragments.members(.head, type) { [issuer = pack.header.issuer, platformID] f in
            f.add("type", type)
            f.add("source", "agent")
            // The administrative organ in whose name the instruction goes: the agent relays it and
            // is no organ itself (DOMAIN §3; issue 13 correction 7).
            f.add("issuer", issuer)
            f.add("platform_id", platformID)
        })
        j.add("platform_merchant_id", merchantID)
        j.add("uscc", uscc(merchantID, row: row))
        j.add("shop_name", shopName(merchantID, row: row))
        j.add(fragments.members(.ruleHead, ruleID, ruleTitle) { f in
            f.add("rule_id", ruleID)
            f.add("rule_title", ruleTitle)
        })
        j.add("case_id", caseID)
        j.add(fragments.members(.ruleBody, severity, addressee, reason, action, basis) { f in
            f.add("severity", severity)
            f.add("addressee", addressee)
            f.add("reason", reason)
            f.add("action", action)
            f.add("basis", basis)
        })
        j.add("evidence", each: evidence) { Self.evidence($1, &$0) }
        return j
    }

    func tail(_ j: inout JSONLine, issuedAt: Int64, deadline: Int?, receiptExpected: Bool, receiptDue: Int?) {
        let issued = fragments.stamp(issuedAt)
        guard deadline == nil && receiptDue == nil else {
            return tailMembers(&j, issued: issued, deadline: deadline, receiptExpected: receiptExpected, receiptDue: receiptDue)
        }
        j.add(closing(issued: issued, receiptExpected: receiptExpected))
    }

    /// The closing members of a line issued at `issued` with no deadline and no receipt due.
    private func closing(issued: String, receiptExpected: Bool) -> JSONMembers {
        fragments.members(.closing, issued, receiptExpected ? "receipt" : nil) { [version = packVersion, serial = pack.header.serial] f in
            Self.tailMembers(&f, packVersion: version, packSerial: serial, issued: issued, deadline: nil,
                             receiptExpected: receiptExpected, receiptDue: nil)
        }
    }

    private func tailMembers(_ j: inout JSONLine, issued: String, deadline: Int?, receiptExpected: Bool, receiptDue: Int?) {
        Self.tailMembers(&j, packVersion: packVersion, packSerial: pack.header.serial, issued: issued, deadline: deadline,
                         receiptExpected: receiptExpected, receiptDue: receiptDue)
    }

    private static func tailMembers(_ j: inout JSONLine, packVersion: String, packSerial: Int, issued: String, deadline: Int?,
                                    receiptExpected: Bool, receiptDue: Int?) {
        j.add("issued_at", issued)
        j.add("deadline", Self.day(deadline))
        j.add("deadline_end", Self.dayEnd(deadline))
        j.add("receipt_expected", receiptExpected)
        j.add("receipt_due", Self.day(receiptDue))
        j.add("pack_version", packVersion)
        j.add("pack_serial", packSerial)
    }

    /// A case instruction (guidance, confirmation, ladder steps, reinstatement).
    func instruction(_ i: PolicyInstruction, case c: PolicyCase) -> [UInt8] {
        var j = common(type: i.kind.rawValue, id: i.id, merchantID: i.merchantID, ruleID: i.ruleID, ruleTitle: c.rule.title,
                       caseID: c.id, severity: c.rule.severity.rawValue, addressee: c.rule.addressee.rawValue,
                       reason: i.reason, action: i.action, basis: i.basis, evidence: c.evidence, reserving: 2_048)
        switch i.kind {
        case .guidance:
            j.add("deadline_days", c.rule.deadlineDays)
            j.add("ladder", c.rule.ladderID ?? "none")
        case .rectificationConfirmed:
            j.add("rectified_at", i.rectifiedAt.map(UTCTime.rfc3339))
            j.add("in_time", i.inTime)
            j.add("determination", raw: i.determination.map(Self.determination) ?? Array("null".utf8))
            j.add("education_note", i.educationNote)
        case .warning, .takedown, .suspend, .terminate:
            j.add("step", i.step)
            j.add("ladder", c.rule.ladderID)
            j.add("guidance_instruction_id", i.guidanceID)
            j.add("previous_instruction_id", i.previousID)
            j.add("original_deadline", Self.day(i.originalDeadlineDay))
        case .reinstate:
            j.add("suspend_instruction_id", i.suspendInstructionID)
            j.add("rectified_at", i.rectifiedAt.map(UTCTime.rfc3339))
        case .prompt: break
        }
        tail(&j, issuedAt: i.issuedAt, deadline: i.deadlineDay, receiptExpected: i.kind.expectsReceipt, receiptDue: i.receiptDueDay)
        return j.finished
    }

    static func determination(_ d: CaseDetermination) -> [UInt8] {
        var j = JSONLine()
        j.add("result", d.result.rawValue)
        j.add("basis", d.basis)
        var criteria = JSONLine()
        var sev = JSONLine(); sev.add("holds", d.severityHolds)
        var first = JSONLine(); first.add("holds", d.first); first.add("earlier_cases", strings: d.earlierCases)
        var inTime = JSONLine()
        inTime.add("rectified_on", day(d.rectifiedOn)); inTime.add("deadline", day(d.deadlineDay)); inTime.add("holds", d.inTime)
        var harm = JSONLine(); harm.add("harm_events", d.harmEvents); harm.add("holds", d.noHarm)
        criteria.add("severity", raw: sev.finished)
        criteria.add("first", raw: first.finished)
        criteria.add("in_time", raw: inTime.finished)
        criteria.add("no_harm", raw: harm.finished)
        j.add("criteria", raw: criteria.finished)
        j.add("note", d.note)
        return j.finished
    }

    func prompt(_ p: PromptIssue, now: Int64) -> [UInt8] {
        let def = pack.prompt(p.promptID)
        var evidence: [PolicyEvidence] = []
        if let def, let r = (0..<facts.rows).contains(p.row) ? p.row : rowOf[p.merchantID] {
            let fields = fragments.fields(ofPrompt: p.promptID) {
                def.when.fields.sorted(by: { $0.rawValue < $1.rawValue }).map { ($0, $0.rawValue, $0.prefix) }
            }
            for (f, name, source) in fields {
                if let v = facts.columns[f]?.describe(row: r, type: f.type) {
                    evidence.append(PolicyEvidence(field: name, expected: nil, found: v, source: source))
                }
            }
        }
        var j = common(type: "prompt", id: p.instructionID, merchantID: p.merchantID, row: p.row, ruleID: p.promptID,
                       ruleTitle: def?.title,
                       caseID: nil, severity: nil, addressee: def?.addressee.rawValue, reason: nil, action: nil,
                       basis: def?.basis, evidence: evidence, reserving: 1_536)
        // The pack's texts of the prompt: the same in each of its lines.
        j.add(fragments.members(.promptTexts, p.promptID) { [text = def?.text, title = def?.title, id = p.promptID] f in
            f.add("text", text)
            f.add("prompt_id", id)
            f.add("title", title)
        })
        let kind: String
        switch def?.window {
        case .annual?: kind = "annual"
        case .rolling?: kind = "rolling"
        default: kind = "episode"
        }
        let (key, from, to) = (p.windowKey, fragments.day(p.windowFrom), fragments.day(p.windowTo))
        j.add("window") { w in
            w.add("kind", kind)
            w.add("key", key)
            w.add("from", from)
            w.add("to", to)
        }
        j.add("cause", p.cause)
        tail(&j, issuedAt: now, deadline: nil, receiptExpected: false, receiptDue: nil)
        return j.finished
    }

    /// The criteria's values and holdings, three bits each (a fragment's key beside their ids);
    /// nil for more than a key holds.
    static func bits(_ criteria: [RosterDecision.Criterion]) -> UInt64? {
        guard criteria.count <= 21 else { return nil }
        var bits: UInt64 = 0
        for c in criteria {
            bits = bits << 3 | (c.value == nil ? 0 : c.value! ? 1 : 2) << 1 | (c.holds ? 1 : 0)
        }
        return bits
    }

    /// Members `render` writes from `criteria` alone, as a fragment of `kind` found by their ids,
    /// values and holdings (a few patterns a pass); written in place when more than a key holds.
    private func add(_ criteria: [RosterDecision.Criterion], as kind: LineFragments.Kind, to j: inout JSONLine,
                     _ render: (inout JSONLine) -> Void) {
        guard let bits = Self.bits(criteria) else { return render(&j) }
        j.add(fragments.members(kind, criteria: criteria, bits: bits, render))
    }

    /// Roster criteria as `{id, text, value, holds}`; without `text` (the pack's) or `value` where
    /// the reader has no use for them.
    static func criteria(_ list: [RosterDecision.Criterion], text: Bool = true, value: Bool = true, in j: inout JSONLine) {
        j.add("criteria", each: list) { j, c in
            j.add("id", c.id)
            if text { j.add("text", c.text) }
            if value { j.add("value", c.value) }
            j.add("holds", c.holds)
        }
    }

    func sandbox(_ d: RosterDecision, id: String, now: Int64) -> [UInt8] {
        let first = d.criteria.first
        var j = common(type: "sandbox", id: id, merchantID: d.merchantID, row: d.row, ruleID: first?.id ?? "regulator",
                       ruleTitle: first?.text, caseID: nil, severity: nil, addressee: "merchant", reason: d.reason,
                       action: nil, basis: pack.roster.basis, evidence: [], reserving: 1_280)
        // What the platform's staff act on: a removal names the criteria that removed the
        // merchant, with their texts (they tell the merchant why); an admission holds every
        // admission criterion by definition, so its criteria are listed by id — their seven texts
        // were two thirds of each of the city's 250,000 admission notices (issue 16).
        if d.decision == .removed {
            j.add("decision", d.decision.rawValue)
            Self.criteria(d.criteria, in: &j)
        } else {
            add(d.criteria, as: .admission, to: &j) { [criteria = d.criteria] f in
                f.add("decision", RosterDecision.Kind.admitted.rawValue)
                Self.criteria(criteria, text: false, value: false, in: &f)
            }
        }
        j.add("member_since", fragments.day(d.memberSince))
        j.add("readmit_not_before", fragments.day(d.readmitNotBefore))
        let issued = fragments.stamp(now)
        let note = d.decision == .admitted ? pack.roster.priorityNote : nil
        j.add(fragments.members(.noticeClosing, d.decision.rawValue, issued) { [version = packVersion, serial = pack.header.serial] f in
            f.add("priority_note", note)
            Self.tailMembers(&f, packVersion: version, packSerial: serial, issued: issued, deadline: nil, receiptExpected: false,
                             receiptDue: nil)
        })
        return j.finished
    }

    /// The explanation record of a class decision (§4.3).
    func explanation(_ d: ClassDecision, now: Int64) -> [UInt8] {
        var j = JSONLine()
        j.add("class", d.riskClass.rawValue)
        j.add("class_name", d.className)
        j.add("points", d.points)
        j.add("pack_version", packVersion)
        j.add("pack_serial", pack.header.serial)
        j.add("decided_at", UTCTime.rfc3339(now))
        j.add("previous_class", d.previousClass?.rawValue)
        j.add("thresholds", objects: pack.classes.map { c in
            var t = JSONLine(); t.add("class", c.id.rawValue); if let m = c.maxPoints { t.add("max_points", m) }; return t
        })
        Self.addReasons(d, to: &j, titled: true)
        return j.finished
    }

    /// A decision's contributing indicators with their values, the floors hit and the indicators
    /// that could not be judged; `titled` adds each indicator's family and title (the pack's).
    static func addReasons(_ d: ClassDecision, to j: inout JSONLine, titled: Bool) {
        j.add("indicators", each: d.contributions) { t, c in
            t.add("id", c.id)
            if titled { t.add("family", c.family); t.add("title", c.title) }
            t.add("value") { v in for (k, value) in c.values { v.add(named: k, value) } }
            if let b = c.bandFrom { t.add("band_from", b) }
            t.add("points", c.points)
        }
        j.add("floors", each: d.floors) { t, f in t.add("id", f.id); t.add("floor", f.floor.rawValue) }
        j.add("unknown", each: d.unknown) { t, u in t.add("id", u.id); t.add("missing", strings: u.missing) }
    }

    /// `{"class","previous_class","points","indicators":{"IND-D3":8,…}}` for history and audit.
    static func classSummary(_ d: ClassDecision) -> [UInt8] {
        var j = JSONLine()
        j.add("class", d.riskClass.rawValue)
        j.add("previous_class", d.previousClass?.rawValue)
        j.add("points", d.points)
        j.add("indicators") { ind in for c in d.contributions { ind.add(named: c.id, c.points) } }
        return j.finished
    }

    /// The `class` feed item: the class with an explanation of ids and values. The thresholds and
    /// the indicators' titles and families are the pack's (the item names its version) and the
    /// same in every item; they were half of the items' bytes (issue 16). `policy explain` prints
    /// the whole explanation (`explanation(_:now:)`).
    func classItem(_ d: ClassDecision, since: Int?, now: Int64) -> [UInt8] {
        var j = JSONLine()
        j.add("class", d.riskClass.rawValue)
        j.add("class_name", d.className)
        j.add("points", d.points)
        j.add("since", Self.day(since))
        j.add("explanation") { e in
            e.add("decided_at", fragments.stamp(now))
            e.add("previous_class", d.previousClass?.rawValue)
            Self.addReasons(d, to: &e, titled: false)
        }
        return j.finished
    }

    func rosterItem(_ d: RosterDecision, state: MerchantPolicyState, now: Int64) -> [UInt8] {
        var j = JSONLine()
        // `member`: in the sandbox as applied here; `proposed`: this agent's own decision, which
        // the regulator's roster rule reads (the regulator decides, issue 12).
        j.add("member", state.applied)
        j.add("proposed", state.member)
        j.add("excluded_by_regulator", state.excludedByRegulator)
        j.add("member_since", fragments.day(state.memberSince))
        j.add("source", d.source)
        j.add("decision") { decision in
            decision.add("decision", d.decision.rawValue)
            decision.add("at", fragments.stamp(now))
            // Ids and values only: the criteria's texts are the pack's (the item names its version),
            // and were most of an item's bytes (issue 16).
            add(d.criteria, as: .rosterCriteria, to: &decision) { [criteria = d.criteria] f in
                Self.criteria(criteria, text: false, in: &f)
            }
            decision.add("directive_id", d.directiveID)
        }
        j.add("readmit_not_before", Self.day(d.readmitNotBefore))
        return j.finished
    }

    func caseItem(_ c: PolicyCase) -> [UInt8] {
        var j = JSONLine()
        j.add("case_id", c.id)
        j.add("rule_id", c.ruleID)
        j.add("rule_title", c.rule.title)
        j.add("severity", c.rule.severity.rawValue)
        j.add("addressee", c.rule.addressee.rawValue)
        j.add("state", c.state.rawValue)
        j.add("platform_merchant_id", c.merchantID)
        j.add("opened_at", fragments.stamp(c.openedAt))
        j.add("deadline", Self.day(c.deadlineDay))
        j.add("lead") { lead in
            lead.add("kind", "违法预警线索")
            lead.add("reason", c.rule.reason)
            lead.add("basis", c.rule.basis)
            lead.add("evidence", each: c.evidence) { Self.evidence($1, &$0) }
        }
        j.add("steps", each: c.instructionIDs) { s, id in s.add("instruction_id", id); s.add("kind", Self.kind(of: id)) }
        j.add("steps_issued", c.stepsIssued)
        j.add("proposal", raw: c.proposal.map { proposal($0, case: c) } ?? Array("null".utf8))
        j.add("suspension_in_force", c.suspensionInForce)
        j.add("rectified_at", c.rectifiedAt.map(UTCTime.rfc3339))
        j.add("in_time", c.determination?.inTime)
        j.add("determination", raw: c.determination.map(Self.determination) ?? Array("null".utf8))
        j.add("closed_at", c.closedAt.map(UTCTime.rfc3339))
        j.add("close_reason", c.closeReason)
        return j.finished
    }

    /// The step waiting for an officer (or the last decided): what the regulator's queue shows,
    /// with the step's own action and basis from the case's snapshot of its rule.
    func proposal(_ p: CaseProposal, case c: PolicyCase) -> [UInt8] {
        var j = JSONLine()
        j.add("step", p.step)
        j.add("kind", p.kind.rawValue)
        j.add("state", p.state.rawValue)
        j.add("first_proposed_at", UTCTime.rfc3339(p.firstProposedAt))
        j.add("proposed_at", UTCTime.rfc3339(p.proposedAt))
        j.add("deferred_until", Self.day(p.deferredUntilDay))
        let step = c.rule.steps.indices.contains(p.step - 1) ? c.rule.steps[p.step - 1] : nil
        j.add("action", step?.action)
        j.add("basis", step?.basis)
        j.add("decided_by", p.decidedBy)
        j.add("decided_at", p.decidedAt.map(UTCTime.rfc3339))
        j.add("reason", p.reason)
        j.add("directive_id", p.directiveID)
        return j.finished
    }

    /// `taobao-cd-suspend-00000311` → `suspend`.
    static func kind(of instructionID: String) -> String {
        // The text between the last two dashes, found from the end (splitting the whole id made
        // an array of substrings for every step of every case item).
        let utf8 = instructionID.utf8
        guard let last = utf8.lastIndex(of: 0x2D) else { return instructionID }
        let before = utf8[..<last]
        let start = before.lastIndex(of: 0x2D).map { utf8.index(after: $0) } ?? before.startIndex
        // `split` drops empty parts: an id ending in a dash, or with two dashes together, is rare
        // enough to take the long way.
        guard start < last, utf8.index(after: last) < utf8.endIndex else {
            let parts = instructionID.split(separator: "-")
            return parts.count >= 2 ? String(parts[parts.count - 2]) : instructionID
        }
        return String(instructionID[start..<last])
    }

    func promptItem(_ p: PromptIssue, now: Int64) -> [UInt8] {
        var j = JSONLine()
        j.add("prompt_id", p.promptID)
        j.add("window_key", p.windowKey)
        j.add("cause", p.cause)
        j.add("addressee", pack.prompt(p.promptID)?.addressee.rawValue)
        j.add("issued_at", fragments.stamp(now))
        return j.finished
    }
}
