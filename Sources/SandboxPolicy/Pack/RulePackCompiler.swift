import SandboxCore

/// Validates a pack document and compiles it (docs/policy.md §2.4 phases 3–5): schema, then
/// expressions, then whole-pack checks. Any error refuses the pack as a whole.
public enum RulePackCompiler {
    public static let supportedFormat = 1
    static let families = ["basic", "dynamic", "supervision", "social"]

    public static func compile(_ document: PackDocument) throws(PackErrors) -> RulePack {
        let r = PackReader(document: document)
        let pack = build(r)
        if !r.errors.isEmpty || pack == nil {
            throw PackErrors(r.errors.isEmpty ? [PackError(file: document.fileName, line: nil, path: "", message: "incomplete pack")] : r.errors)
        }
        return pack!
    }

    // swiftlint:disable:next function_body_length
    static func build(_ r: PackReader) -> RulePack? {
        let root = r.root
        r.allow(root, ["pack", "calendar", "verification", "evaluation", "define", "indicator", "class", "trigger",
                       "guidance", "ladder", "reinstate", "determination", "roster", "prompt", "inspection"])
        let header = identity(r)
        if header == nil, r.errors.contains(where: { $0.message.hasPrefix("this agent reads") }) { return nil }

        var nonWorking = Set<Int>()
        if let cal = r.table(root, "calendar", required: false) {
            r.allow(cal, ["non_working_days"])
            nonWorking = Set(r.dates(cal, "non_working_days").map(\.dayNumber))
        }
        let verification = verificationPolicy(r)
        definitions(r)

        var appliesTo: TypedCondition?
        if let ev = r.table(root, "evaluation") {
            r.allow(ev, ["applies_to"])
            appliesTo = r.expression(ev, "applies_to", expecting: .bool, stage: 1)
        }
        let indicators = r.tables(root, "indicator", required: true).compactMap { indicator(r, $0) }
        let classes = classList(r)
        let ladders = ladderMap(r)
        let prompts = r.tables(root, "prompt").compactMap { prompt(r, $0) }
        let triggers = r.tables(root, "trigger", required: true).compactMap { trigger(r, $0, ladders: ladders, prompts: prompts) }
        let guidance = guidanceSection(r)
        let reinstate = reinstateSection(r)
        let determination = determinationSection(r)
        let roster = rosterSection(r)
        let inspection = inspectionSection(r)

        // Ids are unique within their kind and across triggers, prompts and criteria (they share rule_id).
        var seen: [String: String] = [:]
        func unique(_ ids: [String], _ kind: String) {
            for id in ids {
                if let other = seen[id] {
                    r.fail(root, nil, "id \"\(id)\" is used twice (\(other) and \(kind)); rule ids must be unique")
                }
                seen[id] = kind
            }
        }
        unique(triggers.map(\.id), "trigger")
        unique(prompts.map(\.id), "prompt")
        unique((roster?.admit ?? []).map(\.id) + (roster?.remove ?? []).map(\.id), "roster criterion")
        var indicatorIDs = Set<String>()
        for i in indicators where !indicatorIDs.insert(i.id).inserted {
            r.fail(root, "indicator", "indicator id \"\(i.id)\" is used twice")
        }
        if let ins = inspection, let sandbox = ins.ratioBasisPoints["sandbox"] {
            for c in ["A", "B", "C", "D"] {
                if let v = ins.ratioBasisPoints[c], sandbox > v {
                    r.fail(PackReader.Table(values: [:], path: "inspection.ratio_percent", display: "inspection.ratio_percent"), "sandbox",
                           "sandbox members get the lowest ratio; \(Double(sandbox) / 100) is above class \(c)'s \(Double(v) / 100)")
                }
            }
        }

        guard r.errors.isEmpty, let header, let verification, let appliesTo, let classes, let guidance, let reinstate,
              let determination, let roster, let inspection else { return nil }
        return RulePack(header: header, nonWorkingDays: nonWorking, verification: verification, appliesTo: appliesTo,
                        indicators: indicators, classes: classes, triggers: triggers, guidance: guidance, ladders: ladders,
                        reinstate: reinstate, determination: determination, roster: roster, prompts: prompts,
                        inspection: inspection)
    }

    static func identity(_ r: PackReader) -> PackIdentity? {
        guard let t = r.table(r.root, "pack") else { return nil }
        r.allow(t, ["format", "id", "version", "serial", "title", "issuer", "effective_from", "time_zone", "description"])
        let format = r.int(t, "format", 1...1_000)
        if let format, format != supportedFormat {
            r.fail(t, "format", "this agent reads rule pack format \(supportedFormat); upgrade sandbox-agent to read format \(format)")
            return nil
        }
        let id = r.text(t, "id")
        if let id, !(id.count <= 32 && id.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }) {
            r.fail(t, "id", "pack ids are 1–32 lowercase letters, digits or `-`, got \"\(id)\"")
        }
        let version = r.text(t, "version", maxLength: 32)
        let serial = r.int(t, "serial", 1...Int(Int32.max))
        let title = r.text(t, "title")
        let issuer = r.text(t, "issuer")
        let effective = r.date(t, "effective_from")
        if let tz = r.text(t, "time_zone"), tz != "Asia/Shanghai" {
            r.fail(t, "time_zone", "must be \"Asia/Shanghai\": every date and window is judged in it")
        }
        let description = r.text(t, "description", required: false)
        guard let format, let id, let version, let serial, let title, let issuer, let effective else { return nil }
        return PackIdentity(format: format, id: id, version: version, serial: serial, title: title, issuer: issuer,
                            effectiveFrom: effective, description: description)
    }

    static func verificationPolicy(_ r: PackReader) -> VerificationPolicy? {
        guard let t = r.table(r.root, "verification") else { return nil }
        r.allow(t, ["reverification_months", "small_scale_turnover_limit_cny", "registry_change_grace_days",
                    "licence_expiring_within_days", "annual_report_deadline", "licence_required"])
        let months = r.int(t, "reverification_months", 1...60)
        let limit = r.hundredths(t, "small_scale_turnover_limit_cny", min: 0, max: 1e12)
        let grace = r.int(t, "registry_change_grace_days", 0...365)
        let expiring = r.int(t, "licence_expiring_within_days", 1...365)
        var deadline: (Int, Int)?
        if let s = r.text(t, "annual_report_deadline") {
            deadline = monthDay(s)
            if deadline == nil { r.fail(t, "annual_report_deadline", "must be \"MM-DD\", got \"\(s)\"") }
        }
        var required: [MerchantCategory: [LicenceType]] = [:]
        if let lr = r.table(t, "licence_required") {
            let types = LicenceType.allCases.map(\.rawValue).joined(separator: ", ")
            for (key, node) in lr.values.sorted(by: { $0.key < $1.key }) {
                guard let category = MerchantCategory(rawValue: key) else {
                    r.fail(lr, key, "unknown category; categories: \(MerchantCategory.allCases.map(\.rawValue).joined(separator: ", "))")
                    continue
                }
                // One type, or the types any one of which suffices (仅销售预包装食品: the 备案, or a
                // 食品经营许可证, which covers it).
                let names: [PackNode] = if case .array(let a) = node { a } else { [node] }
                let accepted = names.compactMap { n -> LicenceType? in
                    if case .text(let s) = n { LicenceType(rawValue: s) } else { nil }
                }
                guard !accepted.isEmpty, accepted.count == names.count else {
                    r.fail(lr, key, "must name a licence type, or an array of them any one of which suffices: \(types)")
                    continue
                }
                required[category] = accepted
            }
        }
        guard let months, let limit, let grace, let expiring, let deadline else { return nil }
        return VerificationPolicy(reverificationMonths: months, smallScaleTurnoverLimitFen: limit, registryChangeGraceDays: grace,
                                  licenceExpiringWithinDays: expiring, annualReportDeadlineMonth: deadline.0,
                                  annualReportDeadlineDay: deadline.1, licenceRequired: required)
    }

    static func monthDay(_ s: String) -> (Int, Int)? {
        let parts = s.split(separator: "-")
        guard s.count == 5, parts.count == 2, let m = Int(parts[0]), let d = Int(parts[1]),
              CivilDate(year: 2024, month: m, day: d) != nil else { return nil }
        return (m, d)
    }

    static func definitions(_ r: PackReader) {
        let defs = r.tables(r.root, "define", idKey: "name")
        guard defs.count <= 50 else { r.fail(r.root, "define", "at most 50 definitions"); return }
        var scopes: [(PackReader.Table, String, ConditionScope)] = []
        for t in defs {
            r.allow(t, ["name", "scope", "expr", "description"])
            guard let name = r.text(t, "name"), let scopeName = r.text(t, "scope"), let expr = r.text(t, "expr", maxLength: 4096) else { continue }
            let valid = name.unicodeScalars.first.map { ($0 >= "a" && $0 <= "z") || $0 == "_" } == true
                && name.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "_" }
            guard valid else { r.fail(t, "name", "definition names are lowercase letters, digits and `_`, got \"\(name)\""); continue }
            let scope: ConditionScope
            switch scopeName {
            case "merchant": scope = .merchant
            case "event": scope = .elements(.events)
            case "licence": scope = .elements(.licences)
            default: r.fail(t, "scope", "must be \"merchant\", \"event\" or \"licence\", got \"\(scopeName)\""); continue
            }
            do { try r.definitions.add(name: name, scope: scope, expression: expr) } catch { r.failExpression(t, "expr", error) }
            scopes.append((t, name, scope))
        }
        // Check each definition once on its own, at the last stage, so an unused one is still checked.
        for (t, name, scope) in scopes {
            let expected: [ValueType] = [.bool, .number, .date, .text]
            var lastError: ConditionError?
            var ok = false
            for type in expected {
                do {
                    _ = try ConditionChecker.compile("$" + name, expecting: type, stage: 5, scope: scope, definitions: r.definitions)
                    ok = true; break
                } catch { lastError = error }
            }
            if !ok, let e = lastError, !e.message.contains("must give a") {
                r.failExpression(t, "expr", ConditionError(e.message.replacingFirst("in `$\(name)` ", with: ""), at: e.location))
            }
        }
    }

    static func indicator(_ r: PackReader, _ t: PackReader.Table) -> PackIndicator? {
        r.allow(t, ["id", "family", "title", "when", "points", "value", "bands", "floor", "basis"])
        let id = r.id(t)
        let family = r.text(t, "family")
        if let family, !families.contains(family) {
            r.fail(t, "family", "must be one of \(families.map { "\"\($0)\"" }.joined(separator: ", ")), got \"\(family)\"")
        }
        let title = r.text(t, "title")
        var floor: RiskClass?
        if let f = r.text(t, "floor", required: false) {
            floor = RiskClass(rawValue: f)
            if floor == nil { r.fail(t, "floor", "must be a class: \"A\", \"B\", \"C\" or \"D\", got \"\(f)\"") }
        }
        let basis = r.text(t, "basis", required: false)
        var rule: PackIndicator.Rule?
        switch (t.values["when"] != nil, t.values["value"] != nil) {
        case (true, false):
            if t.values["bands"] != nil { r.fail(t, "bands", "`bands` go with `value`, not with `when`") }
            let cond = r.expression(t, "when", expecting: .bool, stage: 1)
            let points = r.int(t, "points", 0...1000)
            if let cond, let points { rule = .when(cond, points: points) }
        case (false, true):
            if t.values["points"] != nil { r.fail(t, "points", "a `value` indicator gives points by `bands`, not `points`") }
            let value = r.expression(t, "value", expecting: .number, stage: 1)
            let bands = bandList(r, t)
            if let value, let bands { rule = .value(value, bands: bands) }
        default:
            r.fail(t, nil, "an indicator has either `when` + `points` or `value` + `bands`")
        }
        guard let id, let family, families.contains(family), let title, let rule else { return nil }
        return PackIndicator(id: id, family: family, title: title, rule: rule, floor: floor, basis: basis)
    }

    static func bandList(_ r: PackReader, _ t: PackReader.Table) -> [PackIndicator.Band]? {
        guard let node = t.values["bands"] else { r.fail(t, nil, "missing required key `bands`"); return nil }
        guard case .array(let items) = node, !items.isEmpty else { r.fail(t, "bands", "must be a non-empty array of { from = …, points = … }"); return nil }
        var bands: [PackIndicator.Band] = []
        for (i, item) in items.enumerated() {
            guard case .table(let b) = item else { r.fail(t, "bands", "element \(i) must be { from = …, points = … }"); return nil }
            let bt = PackReader.Table(values: b, path: t.key("bands"), display: t.shown("bands") + "[\(i)]")
            r.allow(bt, ["from", "points"])
            guard let from = r.hundredths(bt, "from", min: -1e12, max: 1e12), let points = r.int(bt, "points", 0...1000) else { return nil }
            if let last = bands.last, from <= last.from {
                r.fail(bt, "from", "bands must have strictly ascending `from`"); return nil
            }
            bands.append(PackIndicator.Band(from: from, points: points))
        }
        return bands
    }

    static func classList(_ r: PackReader) -> [PackClass]? {
        let tables = r.tables(r.root, "class", required: true)
        var out: [PackClass] = []
        for (i, t) in tables.enumerated() {
            r.allow(t, ["id", "name", "max_points", "description"])
            let expected = RiskClass.allCases[min(i, 3)]
            guard let idText = r.text(t, "id"), let name = r.text(t, "name") else { continue }
            guard i < 4, idText == expected.rawValue else {
                r.fail(t, "id", "classes are A, B, C, D in this order; expected \"\(expected.rawValue)\", got \"\(idText)\""); continue
            }
            let last = i == tables.count - 1
            var maxPoints: Int?
            if last {
                if t.values["max_points"] != nil { r.fail(t, "max_points", "the last class has no max_points (it takes everything above)") }
            } else {
                maxPoints = r.int(t, "max_points", 0...100_000)
                if let m = maxPoints, let prev = out.last?.maxPoints, m <= prev {
                    r.fail(t, "max_points", "must be greater than class \(out.last!.id.rawValue)'s \(prev), got \(m)")
                }
            }
            out.append(PackClass(id: expected, name: name, maxPoints: maxPoints, description: r.text(t, "description", required: false)))
        }
        guard out.count == 4 else {
            r.fail(r.root, "class", "the pack must define the four classes A, B, C, D; found \(out.count)"); return nil
        }
        return out
    }

    static func ladderMap(_ r: PackReader) -> [String: PackLadder] {
        var out: [String: PackLadder] = [:]
        for t in r.tables(r.root, "ladder", required: true) {
            r.allow(t, ["id", "title", "step"])
            guard let id = r.id(t), let title = r.text(t, "title") else { continue }
            let stepTables = r.tables(t, "step", required: true, idKey: "kind")
            guard (1...3).contains(stepTables.count) else { r.fail(t, "step", "a ladder has 1 to 3 steps"); continue }
            var steps: [PackLadder.Step] = []
            for s in stepTables {
                r.allow(s, ["kind", "after_days", "receipt_days", "action", "basis", "confirm"])
                guard let kind = r.choice(s, "kind", LadderStepKind.self), let after = r.int(s, "after_days", 0...365),
                      let receipt = r.int(s, "receipt_days", 0...60), let action = r.text(s, "action"),
                      let basis = r.text(s, "basis") else { continue }
                if let prev = steps.last, LadderStepKind.allCases.firstIndex(of: kind)! <= LadderStepKind.allCases.firstIndex(of: prev.kind)! {
                    r.fail(s, "kind", "steps go warning → suspend → terminate, each at most once; \(kind.rawValue) cannot follow \(prev.kind.rawValue)")
                }
                // `confirm`: "auto" (default) or "staff" — a step that restricts trade waits for an
                // officer (issue 12). A warning restricts nothing and stays automatic.
                let confirm = r.choice(s, "confirm", StepConfirmation.self, required: false) ?? .auto
                if confirm == .staff && kind == .warning {
                    r.fail(s, "confirm", "a warning restricts no trade and is issued by the agent; only takedown, suspend and terminate steps may wait for an officer (confirm = \"staff\")")
                }
                steps.append(PackLadder.Step(kind: kind, afterDays: after, receiptDays: receipt, action: action, basis: basis,
                                             confirm: confirm))
            }
            if out[id] != nil { r.fail(t, "id", "ladder id \"\(id)\" is used twice") }
            if id == "none" { r.fail(t, "id", "\"none\" is reserved: it means no ladder") }
            out[id] = PackLadder(id: id, title: title, steps: steps)
        }
        return out
    }

    static func trigger(_ r: PackReader, _ t: PackReader.Table, ladders: [String: PackLadder], prompts: [PackPrompt]) -> PackTrigger? {
        r.allow(t, ["id", "title", "severity", "addressee", "response", "when", "over", "where", "within_days", "deadline_days",
                    "ladder", "clears_by", "prompt", "reason", "action", "basis", "evidence", "at_once"])
        let id = r.id(t), title = r.text(t, "title")
        let severity = r.choice(t, "severity", FindingSeverity.self)
        let addressee = r.choice(t, "addressee", PackAddressee.self)
        let response = r.choice(t, "response", PackTrigger.Response.self)
        var condition: PackTrigger.Condition?
        if let over = r.text(t, "over", required: false) {
            if over != "events" { r.fail(t, "over", "must be \"events\" (one case per event), got \"\(over)\"") }
            if t.values["when"] != nil { r.fail(t, "when", "an event trigger has `where`, not `when`") }
            let filter = r.expression(t, "where", expecting: .bool, stage: 2, scope: .elements(.events))
            let within = r.int(t, "within_days", 1...3650)
            if let filter, let within { condition = .events(filter: filter, withinDays: within) }
        } else {
            if t.values["where"] != nil { r.fail(t, "where", "`where` needs `over = \"events\"`; a merchant trigger has `when`") }
            if let c = r.expression(t, "when", expecting: .bool, stage: 2) { condition = .merchant(c) }
        }
        let basis = r.text(t, "basis"), reason = r.text(t, "reason")
        let evidence = r.texts(t, "evidence")
        for path in evidence where !evidencePathIsKnown(path) {
            r.fail(t, "evidence", "unknown evidence path `\(path)`; use merchant.…, registry.… or event.… fields (docs/policy.md §3.2)")
        }
        guard let response else { return nil }
        var deadline: Int?, ladder: String?, clearsBy = PackTrigger.ClearsBy.condition, prompt: String?, action = ""
        var atOnce: LadderStepKind?
        switch response {
        case .case:
            if t.values["prompt"] != nil { r.fail(t, "prompt", "`prompt` goes with response = \"prompt\"") }
            deadline = r.int(t, "deadline_days", 0...365, required: false)
            if let l = r.text(t, "ladder") {
                if l == "none" { ladder = nil } else if ladders[l] == nil {
                    r.fail(t, "ladder", "unknown ladder \"\(l)\"; ladders: \(ladders.keys.sorted().joined(separator: ", ")), none")
                } else { ladder = l }
                if deadline == nil, l != "none" { r.fail(t, "deadline_days", "a case with a ladder needs `deadline_days` (only ladder = \"none\" may have no deadline)") }
            }
            clearsBy = r.choice(t, "clears_by", PackTrigger.ClearsBy.self) ?? .condition
            if clearsBy == .receipt, ladder == nil, deadline == nil {
                r.fail(t, "clears_by", "\"receipt\" needs a deadline or a ladder (something must ask for the receipt)")
            }
            if case .events? = condition, clearsBy != .receipt {
                r.fail(t, "clears_by", "an event trigger cannot clear by condition (an event never disappears); use \"receipt\"")
            }
            action = r.text(t, "action") ?? ""
            if t.values["at_once"] != nil {
                atOnce = r.choice(t, "at_once", LadderStepKind.self)
                if ladder != nil || deadline != nil {
                    r.fail(t, "at_once", "a step taken at once replaces guidance and ladder: use ladder = \"none\" and no deadline_days")
                }
            }
        case .prompt:
            prompt = r.text(t, "prompt")
            if let p = prompt, !prompts.contains(where: { $0.id == p }) {
                r.fail(t, "prompt", "unknown prompt \"\(p)\"; prompts: \(prompts.map(\.id).joined(separator: ", "))")
            }
            for key in ["deadline_days", "ladder", "clears_by"] where t.values[key] != nil {
                r.fail(t, key, "a prompt trigger opens no case; remove `\(key)`")
            }
        }
        guard let id, let title, let severity, let addressee, let condition, let basis, let reason else { return nil }
        return PackTrigger(id: id, title: title, severity: severity, addressee: addressee, response: response, condition: condition,
                           deadlineDays: deadline, ladder: ladder, clearsBy: clearsBy, prompt: prompt, reason: reason,
                           action: action, basis: basis, evidence: evidence, atOnce: atOnce)
    }

    static func evidencePathIsKnown(_ path: String) -> Bool {
        if path.hasPrefix("event.") { return ElementField(rawValue: String(path.dropFirst(6)))?.collection == .events }
        guard let f = ConditionField(rawValue: path) else { return false }
        return f.stage == 1
    }

    static func guidanceSection(_ r: PackReader) -> PackGuidance? {
        guard let t = r.table(r.root, "guidance") else { return nil }
        r.allow(t, ["receipt_days", "basis"])
        guard let days = r.int(t, "receipt_days", 0...60), let basis = r.text(t, "basis") else { return nil }
        return PackGuidance(receiptDays: days, basis: basis)
    }

    static func reinstateSection(_ r: PackReader) -> PackReinstate? {
        guard let t = r.table(r.root, "reinstate") else { return nil }
        r.allow(t, ["receipt_days", "action", "basis"])
        guard let days = r.int(t, "receipt_days", 0...60), let action = r.text(t, "action"), let basis = r.text(t, "basis") else { return nil }
        return PackReinstate(receiptDays: days, action: action, basis: basis)
    }

    static func severities(_ r: PackReader, _ t: PackReader.Table) -> Set<FindingSeverity> {
        var out = Set<FindingSeverity>()
        for s in r.texts(t, "severities", required: true) {
            guard let v = FindingSeverity(rawValue: s) else { r.fail(t, "severities", "unknown severity \"\(s)\"; minor, general, serious"); continue }
            out.insert(v)
        }
        return out
    }

    static func determinationSection(_ r: PackReader) -> PackDetermination? {
        guard let t = r.table(r.root, "determination") else { return nil }
        r.allow(t, ["basis", "lookback_days", "first_scope", "no_penalty", "may_not_penalize"])
        let basis = r.text(t, "basis"), lookback = r.int(t, "lookback_days", 1...3650)
        let scope = r.choice(t, "first_scope", PackDetermination.FirstScope.self)
        guard let np = r.table(t, "no_penalty") else { return nil }
        r.allow(np, ["severities", "harm", "education_note"])
        let npSev = severities(r, np)
        let harm = r.expression(np, "harm", expecting: .bool, stage: 5)
        let note = r.text(np, "education_note")
        var mnpSev = Set<FindingSeverity>(), seriousHarm: TypedCondition?, mnpNote: String?
        if let m = r.table(t, "may_not_penalize", required: false) {
            r.allow(m, ["severities", "serious_harm", "note"])
            mnpSev = severities(r, m)
            seriousHarm = r.expression(m, "serious_harm", expecting: .bool, stage: 5)
            mnpNote = r.text(m, "note")
        }
        guard let basis, let lookback, let scope, let harm, let note else { return nil }
        return PackDetermination(basis: basis, lookbackDays: lookback, firstScope: scope, noPenaltySeverities: npSev, harm: harm,
                                 educationNote: note, mayNotPenalizeSeverities: mnpSev, seriousHarm: seriousHarm,
                                 mayNotPenalizeNote: mnpNote)
    }

    static func rosterSection(_ r: PackReader) -> PackRoster? {
        guard let t = r.table(r.root, "roster") else { return nil }
        r.allow(t, ["notify_platform", "basis", "priority_note", "admit", "remove", "regulator"])
        let notify = r.bool(t, "notify_platform", required: false) ?? true
        let basis = r.text(t, "basis") ?? ""
        let note = r.text(t, "priority_note", required: false)
        func criteria(_ key: String, removal: Bool) -> [PackCriterion] {
            let tables = r.tables(t, key, required: true)
            if tables.count > 20 { r.fail(t, key, "at most 20 criteria") }
            return tables.compactMap { c in
                r.allow(c, removal ? ["id", "text", "when", "readmit_after_days"] : ["id", "text", "when"])
                let id = r.id(c), text = r.text(c, "text")
                let when = r.expression(c, "when", expecting: .bool, stage: 3)
                let readmit = removal ? r.int(c, "readmit_after_days", 0...3650) : nil
                guard let id, let text, let when, !removal || readmit != nil else { return nil }
                return PackCriterion(id: id, text: text, when: when, readmitAfterDays: readmit)
            }
        }
        let admit = criteria("admit", removal: false), remove = criteria("remove", removal: true)
        guard let reg = r.table(t, "regulator") else { return nil }
        r.allow(reg, ["removal_hold_days", "admission_waives_criteria", "admitted_classes", "local_divisions"])
        guard let hold = r.int(reg, "removal_hold_days", 0...3650), let waives = r.bool(reg, "admission_waives_criteria") else { return nil }
        var classes = Set(r.texts(reg, "admitted_classes"))
        if classes.isEmpty { classes = ["A"] }
        for c in classes where !InspectionSubject.classOrder.contains(c) {
            r.fail(reg, "admitted_classes", "\"\(c)\" is no class; use A, B, C or D")
        }
        let divisions = r.texts(reg, "local_divisions")
        for d in divisions where !(d.count == 2 || d.count == 4 || d.count == 6) || !d.allSatisfy(\.isNumber) {
            r.fail(reg, "local_divisions", "\"\(d)\" is no division prefix; write 2, 4 or 6 digits of a 行政区划代码, e.g. 5101")
        }
        return PackRoster(notifyPlatform: notify, basis: basis, priorityNote: note, admit: admit, remove: remove,
                          regulatorRemovalHoldDays: hold, admissionWaivesCriteria: waives, admittedClasses: classes,
                          localDivisions: divisions)
    }

    static func prompt(_ r: PackReader, _ t: PackReader.Table) -> PackPrompt? {
        r.allow(t, ["id", "title", "addressee", "when", "window", "text", "basis"])
        let id = r.id(t), title = r.text(t, "title"), addressee = r.choice(t, "addressee", PackAddressee.self)
        let when = r.expression(t, "when", expecting: .bool, stage: 4)
        let text = r.text(t, "text"), basis = r.text(t, "basis")
        var window: PackPrompt.Window?
        if let w = r.table(t, "window") {
            switch r.text(w, "kind") {
            case "annual":
                r.allow(w, ["kind", "from", "to"])
                if let f = r.text(w, "from"), let to = r.text(w, "to") {
                    if let a = monthDay(f), let b = monthDay(to), (a.0, a.1) <= (b.0, b.1) {
                        window = .annual(fromMonth: a.0, fromDay: a.1, toMonth: b.0, toDay: b.1)
                    } else { r.fail(w, "from", "an annual window is from = \"MM-DD\", to = \"MM-DD\" within one year, from ≤ to") }
                }
            case "episode":
                r.allow(w, ["kind"]); window = .episode
            case "rolling":
                r.allow(w, ["kind", "days"])
                if let d = r.int(w, "days", 1...3650) { window = .rolling(days: d) }
            case let other?:
                r.fail(w, "kind", "must be \"annual\", \"episode\" or \"rolling\", got \"\(other)\"")
            case nil: break
            }
        }
        guard let id, let title, let addressee, let when, let window, let text, let basis else { return nil }
        return PackPrompt(id: id, title: title, addressee: addressee, when: when, window: window, text: text, basis: basis)
    }

    static func inspectionSection(_ r: PackReader) -> PackInspection? {
        guard let t = r.table(r.root, "inspection") else { return nil }
        r.allow(t, ["basis", "rounding", "inspectors_per_subject", "ratio_percent", "interval_days", "remote_strata"])
        let basis = r.text(t, "basis")
        if let rounding = r.text(t, "rounding"), rounding != "ceil" { r.fail(t, "rounding", "must be \"ceil\"") }
        let per = r.int(t, "inspectors_per_subject", 1...5)
        guard let ratios = r.table(t, "ratio_percent") else { return nil }
        r.allow(ratios, ["sandbox", "A", "B", "C", "D"])
        var bp: [String: Int] = [:]
        for k in ["sandbox", "A", "B", "C", "D"] {
            if let v = r.hundredths(ratios, k, min: 0, max: 100) { bp[k] = Int(v) }
        }
        let interval = r.int(t, "interval_days", 1...3650, required: false)
        let remote = r.texts(t, "remote_strata")
        for name in remote where !InspectionDraw.strata.contains(name) {
            r.fail(t, "remote_strata", "\"\(name)\" is no stratum; use sandbox, A, B, C or D")
        }
        guard let basis, let per, bp.count == 5 else { return nil }
        return PackInspection(basis: basis, inspectorsPerSubject: per, ratioBasisPoints: bp, intervalDays: interval,
                              remoteStrata: Set(remote))
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var chars = Array(self)
        let t = Array(target)
        guard chars.count >= t.count else { return self }
        for i in 0...(chars.count - t.count) where Array(chars[i..<(i + t.count)]) == t {
            chars.replaceSubrange(i..<(i + t.count), with: Array(replacement))
            return String(chars)
        }
        return self
    }
}
