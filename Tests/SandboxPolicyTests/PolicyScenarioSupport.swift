import XCTest
import SandboxCore
import SandboxPolicy
@testable import SandboxPack
import TestSupport

/// The real Chengdu pack and day helpers for the engine's scenario tests (docs/policy.md §15).
enum Scenario {
    static let pack: RulePack = {
        do {
            return try PackTOML.compile(try RulePackFiles.chengdu(), fileName: "chengdu-2026.1.toml")
        } catch {
            fatalError("the Chengdu pack does not compile: \(error)")
        }
    }()

    /// Day number of `YYYY-MM-DD`.
    static func day(_ text: String) -> Int {
        let p = text.split(separator: "-").map { Int($0)! }
        return CivilDate(year: p[0], month: p[1], day: p[2])!.dayNumber
    }
    static func date(_ text: String) -> CivilDate { CivilDate(dayNumber: day(text)) }
    static func text(_ day: Int?) -> String? { day.map { CivilDate(dayNumber: $0).description } }

    static func trigger(_ id: String) -> PackTrigger { pack.triggers.first { $0.id == id }! }

    /// A clean, established enterprise: every field present, registry entry that says "not listed",
    /// report for last year filed, opened in 2024. `verified_at` is left empty so that the PR-04
    /// window does not fire in long scenarios (findings are inputs here, so no finding follows).
    static func cleanMerchant(_ id: String, uscc: String? = nil) -> PolicyFactsBuilder.Merchant {
        let code = uscc ?? "915101040000" + String(repeating: "0", count: max(0, 6 - id.count)) + id
        let record = MerchantRecord(
            platformMerchantID: id, shopName: "店铺\(id)", entityType: .enterprise, uscc: code,
            registeredName: "成都\(id)商贸有限公司", legalRepresentative: "张三", registeredAddress: "成都市锦江区红星路1号",
            displayedName: "成都\(id)商贸有限公司", displayedUSCC: code, displayedAddress: "成都市锦江区红星路1号",
            licenceDisplayed: true, categories: [.general], smallScaleDeclared: false, annualTurnoverFen: 50_000_000,
            verifiedAt: nil, openedAt: date("2024-01-01"), status: .active, complaints90d: 0, regionCode: "510104")
        let registry = RegistryRecord(
            uscc: code, name: "成都\(id)商贸有限公司", legalRepresentative: "张三", address: "成都市锦江区红星路1号",
            registrationStatus: .subsisting, changedAt: date("2023-01-01"), abnormalList: false,
            seriousViolationList: false, lastAnnualReportYear: 2025)
        return PolicyFactsBuilder.Merchant(record: record, registry: registry)
    }
}

/// A small platform driven through days: merchants with their records, registry entries,
/// findings (inputs: the verifier computes them) and events; the outcome of every pass is carried
/// into the next input as the agent's state tables would carry it (docs/policy.md §11).
final class PolicyWorld {
    typealias Merchant = PolicyFactsBuilder.Merchant
    let pack: RulePack
    let platformID = "tb"
    private(set) var merchants: [Merchant] = []

    // Carried state.
    var states: [String: MerchantPolicyState] = [:]
    var openCases: [String: PolicyCase] = [:]
    var allCases: [String: PolicyCase] = [:]
    var eventCaseKeys: Set<String> = []
    var awaited: [String: AwaitedInstruction] = [:]
    var receipts: [ReceiptRecord] = []
    var ledger = PromptLedger()
    var directives: [SandboxDirective] = []
    /// Officers' decisions on proposed steps, read by the next pass.
    var decisions: [ProposalDecision] = []
    /// A district officer who confirms every proposed step the moment it is proposed (the
    /// confirmation reaches the agent, which runs its pass again at once): the ladder's days stay
    /// as the pack's waits make them. Off: proposals wait for `officer(_:case:)`.
    var officerConfirmsAtOnce = true
    private var decisionSeq = 0
    var nextCaseNumber = 1
    var nextInstructionNumber = 1

    // What was decided, for assertions.
    var today: Int
    var last: PolicyOutcome!
    var issued: [PolicyInstruction] = []
    var receiptLog: [ReceiptStateChange] = []
    var rosterLog: [(day: Int, decision: RosterDecision)] = []
    var promptLog: [(day: Int, issue: PromptIssue)] = []
    var classLog: [(day: Int, decision: ClassDecision)] = []
    var endedLog: [(day: Int, merchantID: String, promptID: String)] = []
    private var receiptSeq = 0

    init(start: String, pack: RulePack = Scenario.pack) {
        self.pack = pack
        today = Scenario.day(start)
    }

    // MARK: - Merchants

    @discardableResult
    func add(_ m: Merchant) -> String {
        merchants.append(m)
        return m.record.platformMerchantID
    }

    /// A clean merchant, changed by `body`.
    @discardableResult
    func addClean(_ id: String, uscc: String? = nil, _ body: (inout Merchant) -> Void = { _ in }) -> String {
        var m = Scenario.cleanMerchant(id, uscc: uscc)
        body(&m)
        return add(m)
    }

    func index(_ id: String) -> Int { merchants.firstIndex { $0.record.platformMerchantID == id }! }

    func update(_ id: String, _ body: (inout Merchant) -> Void) { body(&merchants[index(id)]) }

    func setFindings(_ id: String, _ codes: [String]) { update(id) { $0.findingCodes = codes } }

    func addEvent(_ merchantID: String, _ eventID: String, _ type: EventType, _ severity: EventSeverity?, on day: Int) {
        update(merchantID) {
            $0.events.append(EventRecord(eventID: eventID, platformMerchantID: merchantID, eventType: type,
                                         occurredAt: PolicyCalendar.startOf(day: day) + 10 * 3600, severity: severity,
                                         description: "事件\(eventID)"))
        }
    }

    /// A receipt the platform sends (read by the next pass).
    func receipt(_ instructionID: String, _ action: ReceiptAction, at: Int64? = nil) {
        receiptSeq += 1
        let i = issued.first { $0.id == instructionID }
        receipts.append(ReceiptRecord(receiptID: "r\(receiptSeq)", instructionID: instructionID,
                                      platformMerchantID: i?.merchantID ?? "", action: action,
                                      at: at ?? PolicyCalendar.startOf(day: today) + 15 * 3600))
    }

    func directive(_ id: String, _ merchantID: String, _ action: SandboxDirective.Action, holdDays: Int? = nil) {
        directives.append(SandboxDirective(id: id, merchantID: merchantID, action: action, reason: "监管部门决定", holdDays: holdDays))
    }

    /// An officer's decision on the step a case waits at (read by the next pass).
    func officer(_ decision: ProposalDecision.Decision, case caseID: String, until: String? = nil, reason: String? = nil,
                 at: Int64? = nil) {
        decisionSeq += 1
        let step = allCases[caseID]?.proposal?.step ?? 0
        decisions.append(ProposalDecision(directiveID: "conf-\(decisionSeq)", caseID: caseID, step: step, decision: decision,
                                          untilDay: until.map(Scenario.day), reason: reason, officer: "officer-510104",
                                          decidedAt: at ?? PolicyCalendar.startOf(day: today) + 9 * 3600))
    }

    // MARK: - Passes

    func input(now: Int64) -> PolicyPassInput {
        var builder = PolicyFactsBuilder()
        for m in merchants { builder.append(m) }
        let facts = builder.build(today: CivilDate(unixTime: now))
        let history = Array(allCases.values)
        var input = PolicyPassInput(
            pack: pack, platformID: platformID, now: now, facts: facts,
            states: merchants.map { states[$0.record.platformMerchantID] ?? .initial },
            openCases: openCases.values.sorted { $0.id < $1.id }, eventCaseKeys: eventCaseKeys,
            awaited: awaited.values.sorted { $0.id < $1.id }, receipts: receipts, ledger: ledger, directives: directives,
            nextCaseNumber: nextCaseNumber, nextInstructionNumber: nextInstructionNumber,
            findingEvidence: { _, code in [PolicyEvidence(field: "finding", expected: nil, found: code, source: code)] },
            earlierCases: { subject, rule, from, before in
                history.filter {
                    $0.subject == subject && (rule == nil || $0.ruleID == rule) && $0.openedDay >= from
                        && $0.openedDay < before && $0.state != .withdrawn
                }.map(\.id).sorted()
            })
        input.proposalDecisions = decisions
        return input
    }

    /// One pass at `today` (00:00 Asia/Shanghai plus `seconds`), its outcome carried forward.
    @discardableResult
    func pass(seconds: Int64 = 0) -> PolicyOutcome {
        let now = PolicyCalendar.startOf(day: today) + seconds
        let outcome = PolicyPass.run(input(now: now))
        apply(outcome)
        guard officerConfirmsAtOnce else { return outcome }
        let proposed = (outcome.openedCases + outcome.changedCases).filter { $0.proposal?.state == .pending && $0.proposal?.proposedAt == now }
        guard !proposed.isEmpty else { return outcome }
        for c in proposed { officer(.confirm, case: c.id, at: now) }
        let confirmed = PolicyPass.run(input(now: now))
        apply(confirmed)
        return confirmed
    }

    func apply(_ o: PolicyOutcome) {
        last = o
        for (row, s) in o.states { states[merchants[row].record.platformMerchantID] = s }
        for c in o.openedCases + o.changedCases {
            allCases[c.id] = c
            // Terminated cases stay watched until their condition clears (docs/policy.md §6.6).
            let watched = c.state.isOpen || (c.state == .terminated && c.rectifiedAt == nil)
            openCases[c.id] = watched ? c : nil
        }
        for c in o.openedCases where !c.caseKey.isEmpty {
            eventCaseKeys.insert(PolicyPassInput.eventCaseKey(c.merchantID, c.ruleID, c.caseKey))
        }
        for i in o.instructions {
            issued.append(i)
            if i.kind.expectsReceipt {
                awaited[i.id] = AwaitedInstruction(id: i.id, caseID: i.caseID, kind: i.kind, receiptDueDay: i.receiptDueDay)
            }
        }
        for rc in o.receiptChanges { awaited[rc.instructionID] = nil }
        receiptLog += o.receiptChanges
        for p in o.prompts { ledger.record(p, day: today) }
        for e in o.episodesEnded {
            ledger.endEpisode(merchantID: e.merchantID, promptID: e.promptID)
            endedLog.append((today, e.merchantID, e.promptID))
        }
        rosterLog += o.rosterDecisions.map { (today, $0) }
        promptLog += o.prompts.map { (today, $0) }
        classLog += o.classDecisions.map { (today, $0) }
        receipts = []
        directives = []
        decisions = []
        nextCaseNumber = o.nextCaseNumber
        nextInstructionNumber = o.nextInstructionNumber
    }

    /// One pass on every day after `today` up to and including `day`; returns the outcomes by day.
    @discardableResult
    func advance(to day: Int) -> [Int: PolicyOutcome] {
        var out: [Int: PolicyOutcome] = [:]
        while today < day {
            today += 1
            out[today] = pass()
        }
        return out
    }

    @discardableResult
    func advance(to text: String) -> [Int: PolicyOutcome] { advance(to: Scenario.day(text)) }

    /// The next day (or `text`), one pass.
    @discardableResult
    func next(_ text: String? = nil) -> PolicyOutcome {
        today = text.map(Scenario.day) ?? today + 1
        return pass()
    }

    // MARK: - Queries

    func cases(_ merchantID: String, _ ruleID: String? = nil) -> [PolicyCase] {
        allCases.values.filter { $0.merchantID == merchantID && (ruleID == nil || $0.ruleID == ruleID) }.sorted { $0.id < $1.id }
    }

    func onlyCase(_ merchantID: String, _ ruleID: String? = nil, file: StaticString = #filePath, line: UInt = #line) -> PolicyCase? {
        let list = cases(merchantID, ruleID)
        XCTAssertEqual(list.count, 1, "cases of \(merchantID) \(ruleID ?? "")", file: file, line: line)
        return list.first
    }

    func instructions(case caseID: String) -> [PolicyInstruction] { issued.filter { $0.caseID == caseID } }

    func kinds(case caseID: String) -> [PolicyInstruction.Kind] { instructions(case: caseID).map(\.kind) }

    func instruction(_ id: String) -> PolicyInstruction? { issued.first { $0.id == id } }

    func state(_ merchantID: String) -> MerchantPolicyState { states[merchantID] ?? .initial }

    /// The days on which instructions of a case were issued, by kind.
    func issueDays(case caseID: String) -> [String] {
        instructions(case: caseID).map { "\($0.kind.rawValue)@\(Scenario.text($0.issuedDay)!)" }
    }
}

extension Scenario {
    /// A valid 统一社会信用代码 of a Chengdu (锦江区) enterprise, `MA6CB` + n: the clean merchant's
    /// code is a placeholder that only tests feeding findings directly may use.
    static func validUSCC(_ n: Int) -> String {
        TestUSCC.valid(region: "510104", body: "MA6CB" + String(1000 + n % 1000).dropFirst())
    }
}

extension PolicyWorld {
    /// The merchant's findings as the agent's verifier makes them from its record, licences and
    /// registry entry, with the pack's numbers — issue 13's scenarios run verifier and engine
    /// together, so what the export says decides what the platform is told.
    func verify(_ id: String) {
        let m = merchants[index(id)]
        let findings = QualificationVerifier(policy: pack.verification)
            .verify(merchant: m.record, licences: m.licences, registry: m.registry, today: CivilDate(dayNumber: today))
        setFindings(id, findings.map(\.code))
    }

    /// Every rule id a case was opened for on this merchant.
    func caseRules(_ merchantID: String) -> [String] { cases(merchantID).map(\.ruleID).sorted() }

    /// A clean merchant with a valid code (for `verify`), changed by `body`.
    @discardableResult
    func addVerifiable(_ id: String, _ body: (inout Merchant) -> Void = { _ in }) -> String {
        addClean(id, uscc: Scenario.validUSCC(merchants.count + 1), body)
    }
}
