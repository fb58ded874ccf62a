import XCTest
import SandboxCore
import SandboxPolicy
@testable import SandboxPack

/// Risk classes from the Chengdu indicators (docs/policy.md §4): each indicator's contribution,
/// floors, unknown indicators, the thresholds at their edges, and decisions only on change.
final class PolicyClassTests: XCTestCase {
    let d = Scenario.day
    typealias Merchant = PolicyFactsBuilder.Merchant

    static func event(_ m: Merchant, _ id: String, _ type: EventType, _ severity: EventSeverity?, _ day: String) -> EventRecord {
        EventRecord(eventID: id, platformMerchantID: m.record.platformMerchantID, eventType: type,
                    occurredAt: PolicyCalendar.startOf(day: Scenario.day(day)) + 3600, severity: severity)
    }
    static func events(_ m: inout Merchant, _ n: Int, _ type: EventType, _ severity: EventSeverity? = .general, _ day: String = "2026-05-01") {
        for i in 0..<n { m.events.append(event(m, "\(m.record.platformMerchantID)-\(type.rawValue)-\(day)-\(i)", type, severity, day)) }
    }

    func decision(_ w: PolicyWorld, _ id: String) -> ClassDecision? {
        w.classLog.last { $0.decision.merchantID == id }?.decision
    }

    func testACleanEstablishedMerchantIsA() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("a")
        w.pass()
        let c = decision(w, "a")!
        XCTAssertEqual(c.riskClass, .a)
        XCTAssertEqual(c.className, "信用风险低")
        XCTAssertEqual(c.points, 0)
        XCTAssertNil(c.previousClass)
        XCTAssertTrue(c.contributions.isEmpty)
        XCTAssertTrue(c.floors.isEmpty)
        XCTAssertTrue(c.unknown.isEmpty, "\(c.unknown)")
        XCTAssertEqual(w.state("a").riskClass, .a)
        XCTAssertEqual(w.state("a").classSince, d("2026-07-01"))
        XCTAssertEqual(w.state("a").decisionHash, c.decisionHash)
    }

    /// One merchant per indicator, each with only that indicator holding.
    func testEachIndicatorsContribution() {
        let table: [(indicator: String, points: Int, cls: RiskClass, setup: (inout Merchant) -> Void)] = [
            ("IND-B1", 5, .a, { $0.record.openedAt = Scenario.date("2026-03-02") }),
            ("IND-B2", 3, .a, { m in
                m.record.entityType = .naturalPerson; m.record.uscc = nil; m.registry = nil
                m.record.registeredName = nil; m.record.registeredAddress = nil; m.record.legalRepresentative = nil }),
            ("IND-B3", 5, .a, { $0.record.registeredAddress = nil }),
            ("IND-B4", 5, .a, { $0.registry = nil }),
            ("IND-D1", 30, .c, { $0.findingCodes = [FindingCode.licenceExpired] }),
            ("IND-D2", 2, .a, { $0.findingCodes = [FindingCode.licenceExpiringSoon] }),
            ("IND-D3", 8, .a, { $0.findingCodes = [FindingCode.displayedNameMismatch] }),
            ("IND-D4", 15, .b, { $0.findingCodes = [FindingCode.usccCheckCharacter] }),
            ("IND-D5", 3, .a, { $0.registry!.changedAt = Scenario.date("2026-01-03") }),   // 179 days before
            ("IND-D6", 15, .b, { $0.findingCodes = [FindingCode.smallScaleLicensedCategory] }),
            ("IND-S1", 30, .c, { $0.registry!.abnormalList = true }),
            ("IND-S2", 60, .d, { $0.registry!.seriousViolationList = true }),
            ("IND-S3", 60, .d, { $0.findingCodes = [FindingCode.registryEndedWhileActive] }),
            ("IND-S4", 20, .b, { Self.events(&$0, 1, .penalty, nil, "2025-07-02") }),          // 364 days before: in
            ("IND-S6", 40, .c, { m in
                Self.events(&m, 2, .violation, .serious); Self.events(&m, 3, .violation, .general) }),
            ("IND-S7", 10, .b, { $0.findingCodes = [FindingCode.annualReportMissing] }),
            ("IND-C1", 5, .a, { $0.record.complaints90d = 3 }),
            ("IND-C2", 3, .a, { Self.events(&$0, 1, .dispute) }),
        ]
        XCTAssertEqual(table.map(\.indicator), Scenario.pack.indicators.map(\.id), "every indicator of the pack")
        let w = PolicyWorld(start: "2026-07-01")
        for (i, row) in table.enumerated() { w.addClean("i\(i)", row.setup) }
        w.pass()
        for (i, row) in table.enumerated() {
            guard let c = decision(w, "i\(i)") else { XCTFail(row.indicator); continue }
            XCTAssertEqual(c.contributions.map(\.id), [row.indicator], row.indicator)
            XCTAssertEqual(c.contributions.first?.points, row.points, row.indicator)
            XCTAssertEqual(c.points, row.points, row.indicator)
            XCTAssertEqual(c.riskClass, row.cls, row.indicator)
            let ind = Scenario.pack.indicators.first { $0.id == row.indicator }!
            XCTAssertEqual(c.contributions.first?.family, ind.family)
            XCTAssertEqual(c.contributions.first?.title, ind.title)
            XCTAssertEqual(c.floors.map(\.id), ind.floor == nil ? [] : [row.indicator], row.indicator)
        }
        func values(_ i: Int) -> [String] { decision(w, "i\(i)")!.contributions[0].values.map { "\($0.0)=\($0.1)" } }
        XCTAssertEqual(values(0), ["merchant.opened_at=2026-03-02"])
        XCTAssertEqual(values(1), ["merchant.entity_type=natural_person"])
        XCTAssertEqual(values(4), ["findings=LICENCE_EXPIRED"])
        XCTAssertEqual(values(8), ["registry.changed_at=2026-01-03"])
        XCTAssertEqual(values(10), ["registry.abnormal_list=true"])
        XCTAssertEqual(values(13), ["value=1"])
        XCTAssertEqual(decision(w, "i13")!.contributions[0].bandFrom, "1")
        XCTAssertEqual(values(14), ["value=2"])
        XCTAssertEqual(decision(w, "i14")!.contributions[0].bandFrom, "2")
        XCTAssertEqual(decision(w, "i11")!.floors.map(\.floor), [.d])
        XCTAssertEqual(decision(w, "i12")!.floors.map(\.floor), [.d])
    }

    func testBandsAndWindowsAtTheirEdges() {
        let w = PolicyWorld(start: "2026-07-01")
        let table: [(String, [String], Int, (inout Merchant) -> Void)] = [
            ("pen365", [], 0, { Self.events(&$0, 1, .penalty, nil, "2025-07-01") }),             // 365 days before: out
            ("c2", [], 0, { $0.record.complaints90d = 2 }),
            ("c10", ["IND-C1"], 15, { $0.record.complaints90d = 10 }),
            ("c30", ["IND-C1"], 25, { $0.record.complaints90d = 30 }),
            ("cev", ["IND-C1"], 15, { m in m.record.complaints90d = 2; Self.events(&m, 10, .complaint, .minor, "2026-04-03") }),  // 89 days: in
            ("cold", [], 0, { m in Self.events(&m, 10, .complaint, .minor, "2026-04-02") }),     // 90 days: out
            ("d3", ["IND-C2"], 8, { Self.events(&$0, 3, .dispute) }),
            ("d10", ["IND-C2"], 15, { Self.events(&$0, 10, .dispute) }),
            ("chg180", [], 0, { $0.registry!.changedAt = Scenario.date("2026-01-02") }),         // 180 days before: out
            ("open12", [], 0, { $0.record.openedAt = Scenario.date("2025-07-01") }),             // exactly 12 months: out
        ]
        for (id, _, _, setup) in table { w.addClean(id, setup) }
        w.pass()
        for (id, ids, points, _) in table {
            XCTAssertEqual(decision(w, id)?.contributions.map(\.id), ids, id)
            XCTAssertEqual(decision(w, id)?.points, points, id)
        }
        XCTAssertEqual(decision(w, "cev")?.contributions.first?.values.map { "\($0.0)=\($0.1)" }, ["value=10"])
        XCTAssertEqual(decision(w, "cev")?.contributions.first?.bandFrom, "10")
    }

    func testUnknownIndicatorsListTheirMissingFields() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("noreg") { $0.registry = nil }
        w.addClean("noopen") { $0.record.openedAt = nil }
        w.addClean("noflag") { $0.registry!.abnormalList = nil; $0.registry!.changedAt = nil }
        w.pass()
        let noreg = decision(w, "noreg")!
        XCTAssertEqual(noreg.unknown.map(\.id), ["IND-D5", "IND-S1", "IND-S2"])
        XCTAssertEqual(noreg.unknown.map(\.missing), [["registry.changed_at"], ["registry.abnormal_list"], ["registry.serious_violation_list"]])
        XCTAssertEqual(noreg.contributions.map(\.id), ["IND-B4"])
        XCTAssertEqual(noreg.riskClass, .a, "unknown contributes 0 points")
        let noopen = decision(w, "noopen")!
        XCTAssertEqual(noopen.unknown.map(\.id), ["IND-B1"])
        XCTAssertEqual(noopen.unknown.first?.missing, ["merchant.opened_at"])
        XCTAssertEqual(noopen.contributions.map(\.id), ["IND-B3"], "an absent opening date is an incomplete registration")
        let noflag = decision(w, "noflag")!
        XCTAssertEqual(noflag.unknown.map(\.id), ["IND-D5", "IND-S1"])
        XCTAssertEqual(noflag.points, 0)
    }

    func testThresholdsAtTheirEdges() {
        let w = PolicyWorld(start: "2026-07-01")
        let table: [(String, Int, RiskClass, [String], (inout Merchant) -> Void)] = [
            // 9 itself cannot be made of this pack's points since IND-D7 went (issue 13): 8 is A, 10 is B.
            ("p8", 8, .a, ["IND-D2", "IND-D5", "IND-C2"], { m in
                m.registry!.changedAt = Scenario.date("2026-06-01"); m.findingCodes = [FindingCode.licenceExpiringSoon]
                Self.events(&m, 1, .dispute) }),
            ("p10", 10, .b, ["IND-B1", "IND-C1"], { m in m.record.openedAt = Scenario.date("2026-01-01"); m.record.complaints90d = 3 }),
            ("p29", 29, .b, ["IND-D3", "IND-D4", "IND-D5", "IND-C2"], { m in
                m.registry!.changedAt = Scenario.date("2026-06-01")
                m.findingCodes = [FindingCode.displayedNameMismatch, FindingCode.usccCheckCharacter]
                Self.events(&m, 1, .dispute) }),
            ("p30", 30, .c, ["IND-D1"], { $0.findingCodes = [FindingCode.licenceMissing] }),
            ("p59", 59, .c, ["IND-D1", "IND-D3", "IND-D4", "IND-D5", "IND-C2"], { m in
                m.registry!.changedAt = Scenario.date("2026-06-01")
                m.findingCodes = [FindingCode.licenceMissing, FindingCode.displayedNameMismatch, FindingCode.usccCheckCharacter]
                Self.events(&m, 1, .dispute) }),
            ("p60", 60, .d, ["IND-D1", "IND-S1"], { m in m.findingCodes = [FindingCode.licenceMissing]; m.registry!.abnormalList = true }),
        ]
        for (id, _, _, _, setup) in table { w.addClean(id, setup) }
        w.pass()
        for (id, points, cls, ids, _) in table {
            let c = decision(w, id)
            XCTAssertEqual(c?.points, points, id)
            XCTAssertEqual(c?.riskClass, cls, id)
            XCTAssertEqual(c?.contributions.map(\.id), ids, id)
            XCTAssertEqual(c?.floors.isEmpty, true, "\(id): by points, not by a floor")
            XCTAssertEqual(w.state(id).points, points)
        }
    }

    func testAClassDecisionOnlyWhenTheDecisionChanges() {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("clean")
        w.addClean("b") { $0.findingCodes = [FindingCode.annualReportMissing] }            // B, RL-10 case
        w.addClean("d") { $0.registry!.seriousViolationList = true }                         // D, RL-07 case, PR-05
        w.addClean("young") { $0.record.openedAt = Scenario.date("2025-07-02") }             // IND-B1 until 2026-07-01
        let first = w.pass()
        XCTAssertEqual(first.classDecisions.map(\.merchantID), ["clean", "b", "d", "young"])
        XCTAssertEqual(first.classDecisions.map(\.riskClass), [.a, .b, .d, .a])
        let again = w.pass(seconds: 3600)
        XCTAssertTrue(again.isEmpty, "a second identical pass decides nothing: \(again.classDecisions.map(\.merchantID)) \(again.states.keys.sorted())")
        XCTAssertTrue(again.classDecisions.isEmpty)
        XCTAssertTrue(again.states.isEmpty)

        // The next day only the merchant whose 12 months are over changes.
        let next = w.next()
        XCTAssertEqual(next.classDecisions.map(\.merchantID), ["young"])
        XCTAssertEqual(next.classDecisions.first?.points, 0)
        XCTAssertEqual(next.classDecisions.first?.previousClass, .a)
        XCTAssertEqual(next.classDecisions.first?.contributions.map(\.id), [])
        XCTAssertEqual(w.state("young").classSince, d("2026-07-01"), "same class: class_since unchanged")
        XCTAssertEqual(Set(next.states.keys), [w.index("young")])

        // Points change, class stays: a decision; class changes: class_since moves.
        w.update("clean") { Self.events(&$0, 1, .dispute, .general, "2026-07-02") }
        let disputes = w.pass(seconds: 7200)
        XCTAssertEqual(disputes.classDecisions.map { "\($0.merchantID) \($0.riskClass.rawValue) \($0.points) \($0.previousClass?.rawValue ?? "-")" },
                       ["clean A 3 A"])
        w.update("clean") { $0.record.complaints90d = 10 }
        let worse = w.next()
        XCTAssertEqual(worse.classDecisions.map { "\($0.merchantID) \($0.riskClass.rawValue) \($0.points) \($0.previousClass?.rawValue ?? "-")" },
                       ["clean B 18 A"])
        XCTAssertEqual(w.state("clean").classSince, d("2026-07-03"))
        XCTAssertTrue(w.pass(seconds: 60).classDecisions.isEmpty)
    }
}
