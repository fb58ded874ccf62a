import XCTest
@testable import SandboxCore

final class FieldParserTests: XCTestCase {
    func d(_ y: Int, _ m: Int, _ day: Int) -> CivilDate { CivilDate(year: y, month: m, day: day)! }
    /// 2026-07-01 00:00 Asia/Shanghai.
    let july1: Int64 = 20_635 * 86_400 - 8 * 3600

    func reason<T>(_ body: () throws(FieldError) -> T) -> String? {
        do { _ = try body(); return nil } catch { return error.reason }
    }

    func testTrim() {
        XCTAssertEqual(FieldText.trimmed("  a b \t"), "a b")
        XCTAssertEqual(FieldText.trimmed("abc"), "abc")
        XCTAssertNil(FieldText.trimmed(""))
        XCTAssertNil(FieldText.trimmed(" \t\r\n"))
        XCTAssertEqual(FieldText.trimmed(" 统一 "), "统一")
    }

    func testBoolAccepted() throws {
        for t in ["是", "true", "TRUE", "True", "1", "Y", "y", "yes", "YES"] { XCTAssertTrue(try BoolField.parse(t), t) }
        for f in ["否", "false", "False", "0", "N", "n", "no", "No"] { XCTAssertFalse(try BoolField.parse(f), f) }
    }

    func testBoolRejected() {
        for bad in ["2", "ok", "对", "yess", "t", "truefalse", "-1"] {
            XCTAssertEqual(reason { () throws(FieldError) in try BoolField.parse(bad) },
                           "expected a yes/no value (是/否, true/false, 1/0, Y/N, yes/no), got '\(bad)'")
        }
    }

    func testDateForms() throws {
        for text in ["2026-07-01", "2026/7/1", "2026-7-1", "2026/07/01", "20260701", "2026-07-01T10:00:00",
                     "2026-07-01 10:00:00", "2026-07-01T23:59:59+08:00", "2026-07-01T10:00", "2026/7/1 9:05",
                     "2026-06-30T16:00:00Z", "2026-06-30T16:00:00.123Z", "2026-07-01T00:30:00+0800", "2026-06-30T20:00:00+04"] {
            XCTAssertEqual(try DateField.date(text), d(2026, 7, 1), text)
        }
        // Converted to the Shanghai day.
        XCTAssertEqual(try DateField.date("2026-06-30T15:59:59Z"), d(2026, 6, 30))
        XCTAssertEqual(try DateField.date("2026-07-01T10:00:00-05:00"), d(2026, 7, 1))
        XCTAssertEqual(try DateField.date("2026-07-01T12:00:00-05:00"), d(2026, 7, 2))
        XCTAssertEqual(try DateField.date("2024-02-29"), d(2024, 2, 29))
    }

    func testDateRejected() {
        XCTAssertEqual(reason { () throws(FieldError) in try DateField.date("2026-02-30") },
                       "expected a date like \(DateField.accepted), got '2026-02-30': 2026-2 has no day 30")
        XCTAssertEqual(reason { () throws(FieldError) in try DateField.date("2026-13-01") },
                       "expected a date like \(DateField.accepted), got '2026-13-01': month 13 does not exist")
        XCTAssertEqual(reason { () throws(FieldError) in try DateField.date("20260230") },
                       "expected a date like \(DateField.accepted), got '20260230': 2026-2 has no day 30")
        for bad in ["2026-07", "26-07-01", "2026-07/01", "2026.07.01", "July 1", "2026-07-01T25:00", "2026-07-01T10",
                    "2026-07-01T10:00:00+8", "2026-07-01X", "2026-07-01 ", "202607011", "2026-007-01", "2026-07-01T10:60"] {
            XCTAssertNotNil(reason { () throws(FieldError) in try DateField.date(bad) }, bad)
        }
    }

    func testDateTime() throws {
        XCTAssertEqual(try DateField.dateTime("2026-07-01"), july1)
        XCTAssertEqual(try DateField.dateTime("20260701"), july1)
        XCTAssertEqual(try DateField.dateTime("2026/7/1"), july1)
        XCTAssertEqual(try DateField.dateTime("2026-07-01T10:00:00"), july1 + 36_000)
        XCTAssertEqual(try DateField.dateTime("2026-07-01 10:00:00"), july1 + 36_000)
        XCTAssertEqual(try DateField.dateTime("2026-07-01T10:00:00+08:00"), july1 + 36_000)
        XCTAssertEqual(try DateField.dateTime("2026-07-01T02:00:00Z"), july1 + 36_000)
        XCTAssertEqual(try DateField.dateTime("2026-07-01T02:00:00.5Z"), july1 + 36_000)
        XCTAssertEqual(try DateField.dateTime("2026-06-30T21:00:00-05:00"), july1 + 36_000)
        XCTAssertEqual(try DateField.dateTime("1970-01-01T00:00:00Z"), 0)
        XCTAssertNotNil(reason { () throws(FieldError) in try DateField.dateTime("2026-02-29T10:00:00") })
    }

    func testFen() throws {
        XCTAssertEqual(try NumberField.fen("0"), 0)
        XCTAssertEqual(try NumberField.fen("100000"), 10_000_000)
        XCTAssertEqual(try NumberField.fen("1234567.5"), 123_456_750)
        XCTAssertEqual(try NumberField.fen("1234567.50"), 123_456_750)
        XCTAssertEqual(try NumberField.fen("1234567.05"), 123_456_705)
        XCTAssertEqual(try NumberField.fen("1,234,567.50"), 123_456_750)
        XCTAssertEqual(try NumberField.fen("12,345"), 1_234_500)
        XCTAssertEqual(try NumberField.fen("999"), 99_900)
        XCTAssertEqual(try NumberField.fen("0.01"), 1)
    }

    func testFenRejected() {
        let cases = [
            "-5": "must not be negative", "1.234": "at most 2 decimals", "12a": "digits only",
            "1.": "digits only", ".5": "digits only", "1,23": "misplaced thousands separator",
            "1234,567": "misplaced thousands separator", ",123": "misplaced thousands separator",
            "1,2345": "misplaced thousands separator", "1e5": "digits only", "¥100": "digits only",
            "1 000": "digits only", "1.2.3": "at most 2 decimals", "1.-5": "digits only",
        ]
        for (text, why) in cases {
            XCTAssertEqual(reason { () throws(FieldError) in try NumberField.fen(text) },
                           "expected an amount in CNY like 1234567.50 or 1,234,567.50 (\(why)), got '\(text)'", text)
        }
    }

    func testIntegersYearsRegions() throws {
        XCTAssertEqual(try NumberField.integer("0"), 0)
        XCTAssertEqual(try NumberField.integer("42"), 42)
        XCTAssertEqual(reason { () throws(FieldError) in try NumberField.integer("-1") },
                       "expected a whole number ≥ 0 (digits only), got '-1'")
        XCTAssertNotNil(reason { () throws(FieldError) in try NumberField.integer("4.0") })
        XCTAssertNotNil(reason { () throws(FieldError) in try NumberField.integer("99999999999") })
        XCTAssertEqual(try NumberField.year("2025"), 2025)
        XCTAssertEqual(try NumberField.year("1900"), 1900)
        XCTAssertEqual(try NumberField.year("2100"), 2100)
        for bad in ["1899", "2101", "25", "02025", "二〇二五"] {
            XCTAssertEqual(reason { () throws(FieldError) in try NumberField.year(bad) },
                           "expected a year 1900…2100 like 2025, got '\(bad)'")
        }
        XCTAssertEqual(try NumberField.regionCode("510104"), "510104")
        for bad in ["51010", "5101040", "51010A"] {
            XCTAssertNotNil(reason { () throws(FieldError) in try NumberField.regionCode(bad) }, bad)
        }
    }

    func testIdentifierAndUSCCShape() throws {
        XCTAssertEqual(try NumberField.identifier(String(repeating: "a", count: 64)).utf8.count, 64)
        XCTAssertEqual(try NumberField.identifier(String(repeating: "店", count: 64)).unicodeScalars.count, 64)
        XCTAssertEqual(reason { () throws(FieldError) in try NumberField.identifier(String(repeating: "a", count: 65)) },
                       "expected at most 64 characters, got 65")
        XCTAssertEqual(try NumberField.usccShape("91350100M000100Y4Z"), "91350100M000100Y4Z")  // judged by verification
        XCTAssertEqual(try NumberField.usccShape("510104600123456"), "510104600123456")
        for bad in ["91350100m000100Y43", "91350100M000100Y4", "9135 0100M000100Y4", "统一社会信用代码"] {
            XCTAssertNotNil(reason { () throws(FieldError) in try NumberField.usccShape(bad) }, bad)
        }
    }

    func testCoded() throws {
        XCTAssertEqual(try NumberField.coded("enterprise", as: EntityType.self), .enterprise)
        XCTAssertEqual(try NumberField.coded("Natural_Person", as: EntityType.self), .naturalPerson)
        XCTAssertEqual(try NumberField.coded("个体工商户", as: EntityType.self), .individualBusiness)
        // A 备案 is no licence (issue 13): the filing spelling names the filing type.
        XCTAssertEqual(try NumberField.coded("医疗器械经营备案", as: LicenceType.self), .medicalDeviceFiling)
        XCTAssertEqual(reason { () throws(FieldError) in try NumberField.coded("公司", as: EntityType.self) },
                       "expected one of enterprise/企业, individual_business/个体工商户, natural_person/自然人, got '公司'")
    }
}
