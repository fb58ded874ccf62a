import TestSupport
import XCTest
@testable import SandboxCore
@testable import SandboxPolicy

/// The evaluator builds its bit sets 64 rows to a word and compares a column with a constant
/// without spreading the constant (issue 16). Random populations of 1–400 rows (partial last
/// words, unknown values, equal values) against a row-by-row reference written here with
/// Swift's own operators and Kleene's rule: a comparison is known when both sides are.
final class ConditionEvaluatorPropertyTests: XCTestCase {
    let today = CivilDate(year: 2026, month: 7, day: 1)!
    let operators = ["==", "!=", "<", "<=", ">", ">="]

    struct Population {
        var complaints: [Int64?]    // hundredths, as the columns hold numbers
        var turnover: [Int64?]
        var opened: [Int32?]        // day numbers
        var verified: [Int32?]
        var status: [UInt8]         // FactColumn.unknownCode for unknown
        var findings: [UInt32]
    }

    func population(_ rng: inout SplitMix) -> Population {
        let rows = 1 + Int(rng.next() % 400)
        func maybe<T>(_ value: () -> T) -> T? { rng.next() % 5 == 0 ? nil : value() }
        let base = Int32(today.dayNumber)
        var p = Population(complaints: [], turnover: [], opened: [], verified: [], status: [], findings: [])
        for _ in 0..<rows {
            p.complaints.append(maybe { Int64(rng.next() % 7) * 100 })
            p.turnover.append(maybe { Int64(rng.next() % 7) * 100 })
            p.opened.append(maybe { base - 400 + Int32(rng.next() % 800) })
            p.verified.append(maybe { base - 400 + Int32(rng.next() % 800) })
            p.status.append(rng.next() % 4 == 3 ? FactColumn.unknownCode : UInt8(rng.next() % 3))
            p.findings.append(UInt32(truncatingIfNeeded: rng.next()) & 0b1011)
        }
        return p
    }

    func facts(_ p: Population) -> PolicyFacts {
        let rows = p.complaints.count
        var f = PolicyFacts(rows: rows, today: today)
        func number(_ v: [Int64?]) -> FactColumn {
            .number(v.map { $0 ?? 0 }, known: Self.bits(v.map { $0 != nil }))
        }
        func date(_ v: [Int32?]) -> FactColumn {
            .date(v.map { $0 ?? 0 }, known: Self.bits(v.map { $0 != nil }))
        }
        f.columns[.complaints90d] = number(p.complaints)
        f.columns[.annualTurnover] = number(p.turnover)
        f.columns[.openedAt] = date(p.opened)
        f.columns[.verifiedAt] = date(p.verified)
        f.columns[.status] = .coded(p.status)
        f.findings = p.findings
        return f
    }

    static func bits(_ flags: [Bool]) -> Bits {
        var b = Bits(count: flags.count)
        for (i, on) in flags.enumerated() where on { b[i] = true }
        return b
    }

    static func holds<T: Comparable>(_ op: String, _ l: T, _ r: T) -> Bool {
        switch op {
        case "==": l == r
        case "!=": l != r
        case "<": l < r
        case "<=": l <= r
        case ">": l > r
        default: l >= r
        }
    }

    func evaluated(_ expression: String, _ facts: PolicyFacts) throws -> [Bool?] {
        let typed = try ConditionChecker.compile(expression, expecting: .bool, stage: 5, definitions: ConditionDefinitions())
        let (known, value) = ConditionEvaluator(facts: facts).truth(typed)
        return (0..<facts.rows).map { known[$0] ? value[$0] : nil }
    }

    func testComparisonsAgreeWithARowByRowReference() throws {
        var rng = SplitMix(seed: 16)
        let may1 = Int32(CivilDate(year: 2026, month: 5, day: 1)!.dayNumber)
        let closed = try XCTUnwrap(CodedKind.status.code(of: "closed"))
        var compared = 0
        for _ in 0..<60 {
            let p = population(&rng)
            let f = facts(p)
            func check<T: Comparable>(_ expression: String, _ left: [T?], _ right: (Int) -> T?, _ op: String) throws {
                let expected: [Bool?] = left.indices.map { i in
                    guard let l = left[i], let r = right(i) else { return nil }
                    return Self.holds(op, l, r)
                }
                XCTAssertEqual(try evaluated(expression, f), expected, "\(expression) over \(left.count) rows")
                compared += left.count
            }
            for op in operators {
                try check("merchant.complaints_90d \(op) 3", p.complaints, { _ in 300 }, op)
                try check("3 \(op) merchant.complaints_90d", p.complaints.map { $0.map { _ in Int64(300) } }, { p.complaints[$0] }, op)
                try check("merchant.complaints_90d \(op) merchant.annual_turnover_cny", p.complaints, { p.turnover[$0] }, op)
                try check("merchant.opened_at \(op) date('2026-05-01')", p.opened, { _ in may1 }, op)
                try check("merchant.opened_at \(op) merchant.verified_at", p.opened, { p.verified[$0] }, op)
                try check("merchant.opened_at + 1 month \(op) today", p.opened.map { d in
                    d.map { Int32(CivilDate(dayNumber: Int($0)).adding(months: 1).dayNumber) }
                }, { _ in Int32(self.today.dayNumber) }, op)
                // A computed side: coalesce and arithmetic give a column of their own.
                try check("merchant.complaints_90d \(op) (merchant.annual_turnover_cny ?? merchant.complaints_90d) + 1 - 1 - merchant.complaints_90d + merchant.complaints_90d",
                          p.complaints, { i in (p.turnover[i] ?? p.complaints[i]) }, op)
            }
            let status = p.status.map { $0 == FactColumn.unknownCode ? nil : $0 }
            try check("merchant.status == 'closed'", status, { _ in closed }, "==")
            try check("merchant.status != 'closed'", status, { _ in closed }, "!=")
            // The fourth finding code is bit 3 of a row's findings.
            XCTAssertEqual(try evaluated("finding('\(FindingCode.all[3])')", f), p.findings.map { $0 & (1 << 3) != 0 })
        }
        XCTAssertGreaterThan(compared, 50_000)
    }
}
