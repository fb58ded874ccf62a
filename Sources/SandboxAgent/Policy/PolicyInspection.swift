import Foundation
import Logging
import SandboxCore
import SandboxPolicy
import SandboxPack

/// Read-only looks at the policy for operators: validate a pack file, show the stored packs,
/// explain one merchant (docs/policy.md §14.2). Nothing here writes the state.
public enum PolicyInspection {
    /// Every problem of a pack file (empty: valid) and, with keys, whether its signature verifies.
    public static func check(file: String, signature: String?, keys: String?) -> (problems: [String], summary: String?) {
        guard let data = FileManager.default.contents(atPath: file) else { return (["\(file): cannot read the file"], nil) }
        let bytes = Array(data)
        let name = (file as NSString).lastPathComponent
        var problems: [String] = []
        var summary: String?
        do {
            let pack = try PackTOML.compile(bytes, fileName: name)
            summary = "\(name): \(pack.packVersion) serial \(pack.header.serial), effective \(pack.header.effectiveFrom); "
                + "\(pack.triggers.count) triggers, \(pack.indicators.count) indicators, \(pack.roster.admit.count)+\(pack.roster.remove.count) roster criteria, "
                + "\(pack.prompts.count) prompts"
        } catch {
            problems += error.errors.map(\.description)
        }
        if let keys {
            let sigPath = signature ?? file + ".sig"
            do {
                let trusted = try TrustedKeys.load(path: keys)
                guard let text = try? String(contentsOfFile: sigPath, encoding: .utf8) else {
                    throw PackTrustError.signature("cannot read \(sigPath)")
                }
                let key = try trusted.verify(bytes: bytes, signature: try PackSignature.parse(text))
                summary = (summary ?? name) + "; signature verifies with key \(key.hex)"
            } catch {
                problems.append("\(name): \(error)")
            }
        }
        return (problems, summary)
    }

    /// The stored packs, newest first: one line each.
    public static func show(config: AgentConfig) throws -> [String] {
        let state = try AgentState(path: config.databasePath, readOnly: true)
        return try state.rulePackListing().map { p in
            "\(p.packID)-\(p.version) serial \(p.serial): \(p.state) (from \(p.source), "
                + "effective \(CivilDate(dayNumber: p.effectiveDay)), received \(UTCTime.rfc3339(p.receivedAt))"
                + (p.activatedAt.map { ", activated \(UTCTime.rfc3339($0))" } ?? "") + ", sha256 \(p.sha256))"
        }
    }

    /// The verification numbers of the rule pack active in the agent's state, and the pack's
    /// name: what the agent verifies by (`ActiveVerification`). Nil when the configuration sets no
    /// `[policy]`, the agent has no state yet, or no pack is active: the standard numbers apply.
    /// Nothing is written (a pending pack is not taken up here).
    public static func activeVerification(config: AgentConfig, logger: Logger) throws -> (numbers: VerificationPolicy, pack: String)? {
        guard let policy = config.policy, FileManager.default.fileExists(atPath: config.databasePath) else { return nil }
        let state = try AgentState(path: config.databasePath, readOnly: true)
        let store = RulePackStore(state: state, policy: policy, stateDir: config.stateDir, logger: logger)
        guard let active = store.storedActive() else { return nil }
        return (active.pack.verification, "\(active.pack.packVersion) (serial \(active.pack.header.serial))")
    }

    /// One merchant through the active pack now: the class explanation (as the regulator gets it),
    /// its cases and its roster standing, as one JSON object. Nothing is written.
    public static func explain(config: AgentConfig, now: Int64, merchantID: String, logger: Logger) throws -> [UInt8]? {
        let state = try AgentState(path: config.databasePath, readOnly: true)
        let runner = PolicyRunner(state: state, config: config, logger: logger)
        guard let store = runner.store, let active = store.storedActive() else { return nil }
        let pack = active.pack
        var loaded = try PolicyLoader(state: state).load(pack: pack, today: CivilDate(unixTime: now))
        guard let row = loaded.rowOf[merchantID] else { return nil }
        loaded.states[row].decisionHash = 0   // force the explanation to be rendered
        var input = PolicyPassInput(pack: pack, platformID: config.platformID, now: now, facts: loaded.facts,
                                    states: loaded.states, openCases: try state.openCases(),
                                    eventCaseKeys: try state.eventCaseKeys(), awaited: try state.awaitedInstructions(),
                                    ledger: try state.promptLedger())
        input.explainRows = [row]
        let outcome = PolicyPass.run(input)
        let lines = PolicyLines(platformID: config.platformID, pack: pack, facts: loaded.facts, rowOf: loaded.rowOf)
        var j = JSONLine()
        j.add("platform_merchant_id", merchantID)
        j.add("pack_version", pack.packVersion)
        if let d = outcome.classDecisions.first(where: { $0.row == row }) {
            j.add("class", raw: lines.explanation(d, now: now))
        }
        let st = outcome.states[row] ?? loaded.states[row]
        var roster = JSONLine()
        roster.add("member", st.applied)
        roster.add("proposed", st.member)
        roster.add("member_since", PolicyLines.day(st.memberSince))
        roster.add("eligible_since", PolicyLines.day(st.eligibleSince))
        roster.add("readmit_after_days", st.readmitAfterDays)
        // Why the agent does not propose it: each admission criterion that is false or unknown.
        if let unmet = outcome.unmetAdmission[row] {
            roster.add("not_admitted_because", objects: unmet.map { c in
                var l = JSONLine()
                l.add("id", c.id); l.add("text", c.text); l.add("value", c.value)
                return l
            })
        }
        j.add("roster", raw: roster.finished)
        var cases: [JSONLine] = []
        try state.allCases { c in
            guard c.merchantID == merchantID else { return }
            var l = JSONLine()
            l.add("case_id", c.id); l.add("rule_id", c.ruleID); l.add("state", c.state.rawValue)
            l.add("deadline", PolicyLines.day(c.deadlineDay)); l.add("steps_issued", c.stepsIssued)
            cases.append(l)
        }
        j.add("cases", objects: cases)
        j.add("would_open", strings: outcome.openedCases.filter { $0.merchantID == merchantID }.map(\.ruleID))
        return j.finished
    }
}

extension RulePackStore {
    /// The stored active pack, without activating anything (read-only callers).
    func storedActive() -> Active? {
        guard let stored = try? state.activeRulePack(packID: policy.packID) else { return nil }
        guard let pack = try? PackTOML.compile(stored.content, fileName: "stored pack") else { return nil }
        return Active(pack: pack, sha256: "", keyID: "", source: stored.source)
    }
}
