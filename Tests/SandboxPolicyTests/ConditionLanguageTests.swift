import XCTest
@testable import SandboxCore
@testable import SandboxPolicy

/// The condition language (docs/policy.md §3): parsing, checking with located errors, and
/// three-valued evaluation over columns.
final class ConditionLanguageTests: XCTestCase {
    let today = CivilDate(year: 2026, month: 7, day: 1)!

    func merchant(_ id: String, opened: CivilDate? = nil, status: StorefrontStatus? = .active,
                  complaints: Int? = nil, entity: EntityType = .enterprise) -> MerchantRecord {
        MerchantRecord(platformMerchantID: id, shopName: "店\(id)", entityType: entity, uscc: nil, categories: [.general],
                       openedAt: opened, status: status, complaints90d: complaints)
    }

    func truths(_ expr: String, _ rows: [PolicyFactsBuilder.Merchant], stage: Int = 5,
                defines: ConditionDefinitions = ConditionDefinitions(), extra: (inout PolicyFacts) -> Void = { _ in }) throws -> [Bool?] {
        let typed = try ConditionChecker.compile(expr, expecting: .bool, stage: stage, definitions: defines)
        var b = PolicyFactsBuilder()
        rows.forEach { b.append($0) }
        var facts = b.build(today: today)
        extra(&facts)
        let (k, v) = ConditionEvaluator(facts: facts).truth(typed)
        return (0..<rows.count).map { k[$0] ? v[$0] : nil }
    }

    func error(_ expr: String, stage: Int = 5, expecting: ValueType = .bool,
               defines: ConditionDefinitions = ConditionDefinitions()) -> ConditionError? {
        do {
            _ = try ConditionChecker.compile(expr, expecting: expecting, stage: stage, definitions: defines)
            return nil
        } catch { return error }
    }

    func testKleeneTruthTables() throws {
        // registry flags: true, false, unknown per row
        let regs: [RegistryRecord?] = [
            RegistryRecord(uscc: "X", name: "a", abnormalList: true, seriousViolationList: true),
            RegistryRecord(uscc: "X", name: "a", abnormalList: true, seriousViolationList: false),
            RegistryRecord(uscc: "X", name: "a", abnormalList: true, seriousViolationList: nil),
            RegistryRecord(uscc: "X", name: "a", abnormalList: false, seriousViolationList: false),
            RegistryRecord(uscc: "X", name: "a", abnormalList: false, seriousViolationList: nil),
            RegistryRecord(uscc: "X", name: "a", abnormalList: nil, seriousViolationList: nil),
        ]
        let rows = regs.enumerated().map { PolicyFactsBuilder.Merchant(record: merchant("\($0.offset)"), registry: $0.element) }
        XCTAssertEqual(try truths("registry.abnormal_list == true and registry.serious_violation_list == true", rows),
                       [true, false, nil, false, false, nil])
        XCTAssertEqual(try truths("registry.abnormal_list == true or registry.serious_violation_list == true", rows),
                       [true, true, true, false, nil, nil])
        XCTAssertEqual(try truths("not (registry.abnormal_list == true)", rows), [false, false, false, true, true, nil])
        XCTAssertEqual(try truths("present(registry.serious_violation_list)", rows), [true, true, false, true, false, false])
        XCTAssertEqual(try truths("(registry.serious_violation_list ?? true) == true", rows), [true, false, true, false, true, true])
        // ADM-04 as in the pack: unknown never admits
        XCTAssertEqual(try truths("registry.abnormal_list == false and registry.serious_violation_list == false", rows),
                       [false, false, false, true, nil, nil])
    }

    func testDatesMonthsAndWindowsAtTheirEdges() throws {
        let d = { (y: Int, m: Int, dd: Int) in CivilDate(year: y, month: m, day: dd)! }
        let rows = [d(2026, 1, 1), d(2026, 1, 2), d(2025, 7, 1), d(2025, 7, 2)].enumerated().map {
            PolicyFactsBuilder.Merchant(record: merchant("\($0.offset)", opened: $0.element))
        }
        XCTAssertEqual(try truths("merchant.opened_at <= today - 6 months", rows), [true, false, true, true])
        XCTAssertEqual(try truths("merchant.opened_at > today - 12 months", rows), [true, true, false, true])
        // month clamping: 2026-08-31 + 6 months = 2027-02-28
        XCTAssertEqual(CivilDate(year: 2026, month: 8, day: 31)!.adding(months: 6), d(2027, 2, 28))

        // within 90 days = (today − 90, today]; events after today not counted yet
        func event(_ id: String, _ day: CivilDate, _ type: EventType = .complaint) -> EventRecord {
            EventRecord(eventID: id, platformMerchantID: "m", eventType: type,
                        occurredAt: Int64(day.dayNumber) * 86_400 - 8 * 3600 + 3600)
        }
        let day90 = today.adding(days: -89), day91 = today.adding(days: -90)
        let m = PolicyFactsBuilder.Merchant(record: merchant("m"), events: [
            event("e1", day90), event("e2", day91), event("e3", today), event("e4", today.adding(days: 1)),
            event("e5", today, .penalty),
        ])
        XCTAssertEqual(try truths("count(events where event_type == 'complaint' within 90 days) == 2", [m]), [true])
        XCTAssertEqual(try truths("count(events where event_type == '投诉') == 3", [m]), [true])
        XCTAssertEqual(try truths("count(events within 1 days) == 2", [m]), [true])
        XCTAssertEqual(try truths("count(events since today) == 2", [m]), [true])
        XCTAssertEqual(try truths("count(events where event_type in ['penalty', 'recall'] within 1 year) > 0", [m]), [true])
    }

    func testNumbersCodedValuesAndText() throws {
        let rows = [
            PolicyFactsBuilder.Merchant(record: merchant("a", status: .closed, complaints: 12)),
            PolicyFactsBuilder.Merchant(record: merchant("b", status: nil, complaints: nil, entity: .naturalPerson)),
        ]
        XCTAssertEqual(try truths("merchant.complaints_90d >= 10", rows), [true, nil])
        XCTAssertEqual(try truths("max(merchant.complaints_90d, count(events)) == 12", rows), [true, false])
        XCTAssertEqual(try truths("max(merchant.complaints_90d, count(events)) == 0", rows), [false, true])
        XCTAssertEqual(try truths("(merchant.status ?? 'active') != 'closed'", rows), [false, true])
        XCTAssertEqual(try truths("merchant.status == '关闭'", rows), [true, nil])
        XCTAssertEqual(try truths("merchant.entity_type not in ['enterprise', '个体工商户']", rows), [false, true])
        XCTAssertEqual(try truths("merchant.platform_merchant_id == 'b'", rows), [false, true])
        XCTAssertEqual(try truths("merchant.complaints_90d + 0.5 == 12.5", rows), [true, nil])
        XCTAssertEqual(try truths("year(today) - 1 == 2025 and month(date('2026-02-28')) == 2", rows), [true, true])
    }

    func testFindingsAndDefinitions() throws {
        var defs = ConditionDefinitions()
        try defs.add(name: "display_problem", scope: .merchant, expression: "any_finding('LICENCE_NOT_DISPLAYED', 'DISPLAYED_NAME_MISMATCH')")
        try defs.add(name: "both", scope: .merchant, expression: "$display_problem and finding('USCC_MISSING')")
        let rows = [
            PolicyFactsBuilder.Merchant(record: merchant("a"), findingCodes: ["LICENCE_NOT_DISPLAYED", "USCC_MISSING"]),
            PolicyFactsBuilder.Merchant(record: merchant("b"), findingCodes: ["DISPLAYED_NAME_MISMATCH"]),
            PolicyFactsBuilder.Merchant(record: merchant("c")),
        ]
        XCTAssertEqual(try truths("$display_problem", rows, defines: defs), [true, true, false])
        XCTAssertEqual(try truths("$both", rows, defines: defs), [true, false, false])
    }

    func testErrorsCarryLineColumnAndSuggestions() {
        XCTAssertEqual(error("finding('LICENSE_MISSING')")?.message,
                       "unknown finding code 'LICENSE_MISSING'; did you mean 'LICENCE_MISSING'? (codes: docs/findings.md)")
        XCTAssertEqual(error("finding('LICENSE_MISSING')")?.location, SourceLocation(line: 1, column: 9))
        let nmae = error("present(merchant.uscc) and\n  absent(registry.nmae)")
        XCTAssertEqual(nmae?.location, SourceLocation(line: 2, column: 10))
        XCTAssertTrue(nmae?.message.contains("fields of registry: abnormal_list, address, changed_at") == true, nmae?.message ?? "")
        XCTAssertTrue(error("merchant.opened_at <= 6")?.message.contains("write a duration") == true)
        XCTAssertTrue(error("risk.class == 'A'", stage: 1)?.message.contains("not available to indicators") == true)
        XCTAssertTrue(error("merchant.status == 'shut'")?.message.contains("values: active/营业中") == true)
        XCTAssertTrue(error("merchant.entity_type < 'enterprise'")?.message.contains("has no order") == true)
        // Several categories per merchant: no single value to compare; the error says where it went.
        XCTAssertTrue(error("merchant.category == 'food'")?.message.contains("[verification.licence_required]") == true)
        XCTAssertEqual(error("merchant.uscc = 'x'")?.message, "`=` is not an operator; compare with `==`")
        XCTAssertTrue(error("merchant.complaints_90d")?.message.contains("must give a bool") == true)
        XCTAssertTrue(error("count(events where merchant.uscc == 'x') > 0")?.message.contains("own fields") == true)
        XCTAssertTrue(error("$nothing")?.message.hasPrefix("unknown definition `$nothing`") == true)
        XCTAssertTrue(error("'unterminated")?.message.hasPrefix("unterminated") == true)
        XCTAssertTrue(error("today - today > 3")?.message.contains("no date − date") == true)
        XCTAssertTrue(error("lenght(merchant.uscc) > 0")?.message.contains("unknown function") == true)
        var cyclic = ConditionDefinitions()
        try? cyclic.add(name: "a", scope: .merchant, expression: "$b")
        try? cyclic.add(name: "b", scope: .merchant, expression: "$a")
        XCTAssertTrue(error("$a", defines: cyclic)?.message.contains("refers to itself") == true)
        let deep = String(repeating: "(", count: 40) + "true" + String(repeating: ")", count: 40)
        XCTAssertTrue(error(deep)?.message.contains("nested deeper") == true)
        let long = (0..<200).map { _ in "true" }.joined(separator: " and ")
        XCTAssertTrue(error(long)?.message.contains("more than 256 parts") == true)
    }
}
