import SandboxCore
import SandboxPolicy
import SandboxWire

/// The checks on `data` of the policy's feed items (docs/policy.md §10.1), exactly what
/// docs/api/openapi.yaml declares for them (ClassData, RosterData, CaseData, InstructionData,
/// PromptData): the regulator answers from these fields (roster, cases, draws), so an item it
/// could not read is rejected at intake with the reason, not silently misread later.
enum FeedDataCheck {
    static let caseStates: Set<String> = ["open", "overdue", "rectified", "rectified_late", "terminated", "ended", "withdrawn"]

    /// nil when `rawData` is fine for `kind` (always for the export types, checked elsewhere).
    static func problem(kind: FeedItem.Kind, key: String, rawData: [UInt8]) -> String? {
        switch kind {
        case .merchant, .licence, .event, .registry, .findings: return nil
        default: break
        }
        guard case .object(let d)? = JSONValue.parse(rawData) else { return "`data` is not a JSON object" }
        var c = Checker(type: kind.rawValue, data: d)
        switch kind {
        case .class:
            c.oneOf("class", ["A", "B", "C", "D"], required: true)
            c.string("class_name"); c.number("points"); c.date("since"); c.object("explanation")
        case .roster:
            c.bool("member", required: true)
            c.date("member_since"); c.oneOf("source", ["agent", "regulator"]); c.date("readmit_not_before")
            if case .object(let decision)? = d["decision"] {
                var dc = Checker(type: "roster", data: decision, prefix: "decision.")
                dc.oneOf("decision", ["admitted", "removed"]); dc.string("at"); dc.array("criteria"); dc.string("directive_id")
                c.problems += dc.problems
            } else { c.object("decision") }
        case .case:
            c.string("case_id", required: true); c.string("rule_id", required: true)
            c.oneOf("state", caseStates.sorted(), required: true)
            for name in ["rule_title", "severity", "addressee", "opened_at", "deadline", "rectified_at", "closed_at", "close_reason"] {
                c.string(name)
            }
            c.object("lead"); c.array("steps")
            if case .object(let proposal)? = d["proposal"] {
                var pc = Checker(type: "case", data: proposal, prefix: "proposal.")
                pc.number("step"); pc.oneOf("kind", LadderStepKind.allCases.map(\.rawValue), required: true)
                pc.oneOf("state", CaseProposal.State.allCases.map(\.rawValue), required: true)
                pc.string("first_proposed_at", required: true); pc.string("proposed_at", required: true)
                pc.date("deferred_until")
                c.problems += pc.problems
            } else { c.object("proposal") }
            if c.problems.isEmpty, d["case_id"]?.stringValue != key {
                c.problems.append("`data.case_id` must equal the item's `key` (the case id)")
            }
        case .instruction:
            c.string("receipt_state")
        case .prompt:
            c.string("prompt_id", required: true)
            for name in ["window_key", "cause", "addressee", "issued_at"] { c.string(name) }
        default: break
        }
        return c.problems.first
    }

    /// Collects the first problems with `data`'s members; an optional member may be null.
    struct Checker {
        let type: String
        let data: [String: JSONValue]
        var prefix = ""
        var problems: [String] = []

        mutating func check(_ name: String, required: Bool, _ expected: String, _ ok: (JSONValue) -> Bool) {
            switch data[name] {
            case nil, .null?:
                if required { problems.append("\(type) `data.\(prefix)\(name)` is required: \(expected)") }
            case let value?:
                if !ok(value) { problems.append("\(type) `data.\(prefix)\(name)` must be \(expected)\(required ? "" : " or null")") }
            }
        }
        mutating func string(_ n: String, required: Bool = false) {
            check(n, required: required, "a string") { $0.stringValue != nil }
        }
        mutating func bool(_ n: String, required: Bool = false) {
            check(n, required: required, "true or false") { if case .bool = $0 { return true } else { return false } }
        }
        mutating func number(_ n: String) {
            check(n, required: false, "a number") {
                switch $0 { case .int, .double: return true; default: return false }
            }
        }
        mutating func object(_ n: String) { check(n, required: false, "an object") { $0.objectValue != nil } }
        mutating func array(_ n: String) {
            check(n, required: false, "an array") { if case .array = $0 { return true } else { return false } }
        }
        mutating func oneOf(_ n: String, _ values: [String], required: Bool = false) {
            check(n, required: required, "one of " + values.joined(separator: ", ")) { $0.stringValue.map(values.contains) ?? false }
        }
        mutating func date(_ n: String) {
            check(n, required: false, "a date YYYY-MM-DD") { $0.stringValue.map { CivilDate(isoText: $0) != nil } ?? false }
        }
    }
}
