import XCTest
@testable import SandboxCore

final class CivilDateTests: XCTestCase {
    func d(_ y: Int, _ m: Int, _ day: Int) -> CivilDate { CivilDate(year: y, month: m, day: day)! }

    func testLeapYears() {
        XCTAssertNotNil(CivilDate(year: 2024, month: 2, day: 29))
        XCTAssertNotNil(CivilDate(year: 2000, month: 2, day: 29))
        XCTAssertNil(CivilDate(year: 2026, month: 2, day: 29))
        XCTAssertNil(CivilDate(year: 1900, month: 2, day: 29))
        XCTAssertNil(CivilDate(year: 2026, month: 2, day: 30))
        XCTAssertNil(CivilDate(year: 2026, month: 4, day: 31))
        XCTAssertNil(CivilDate(year: 2026, month: 13, day: 1))
        XCTAssertNil(CivilDate(year: 2026, month: 0, day: 1))
        XCTAssertEqual(d(2024, 2, 28).adding(days: 1), d(2024, 2, 29))
        XCTAssertEqual(d(2026, 2, 28).adding(days: 1), d(2026, 3, 1))
        XCTAssertEqual(d(2024, 12, 31).adding(days: 1), d(2025, 1, 1))
    }

    func testMonthClamping() {
        XCTAssertEqual(d(2026, 8, 31).adding(months: 6), d(2027, 2, 28))
        XCTAssertEqual(d(2027, 8, 31).adding(months: 6), d(2028, 2, 29))
        XCTAssertEqual(d(2026, 1, 31).adding(months: 1), d(2026, 2, 28))
        XCTAssertEqual(d(2026, 3, 31).adding(months: -1), d(2026, 2, 28))
        XCTAssertEqual(d(2026, 7, 1).adding(months: -6), d(2026, 1, 1))
        XCTAssertEqual(d(2026, 1, 15).adding(months: -1), d(2025, 12, 15))
        XCTAssertEqual(d(2026, 12, 15).adding(months: 1), d(2027, 1, 15))
    }

    func testDayNumberRoundTrip() {
        XCTAssertEqual(d(1970, 1, 1).dayNumber, 0)
        XCTAssertEqual(d(2026, 7, 1).dayNumber, 20_635)
        XCTAssertEqual(d(1969, 12, 31).dayNumber, -1)
        var previous: CivilDate?
        for n in stride(from: -700_000, through: 700_000, by: 1) where n % 7 == 0 || abs(n) < 1000 {
            let date = CivilDate(dayNumber: n)
            XCTAssertEqual(date.dayNumber, n)
            XCTAssertNotNil(CivilDate(year: date.year, month: date.month, day: date.day))
            if let p = previous { XCTAssertLessThan(p, date) }
            previous = date
        }
    }

    /// `<` reads the fields; it must order dates as their day numbers do, across months, years and
    /// leap days, both ways and never a date before itself.
    func testOrderIsTheDayNumbersOrder() {
        let days = (0..<1_200).map { CivilDate(dayNumber: 19_700 + $0 * 3 + ($0 % 5)) } + [d(2024, 2, 29), d(2024, 3, 1), d(2000, 2, 29)]
        for a in days {
            XCTAssertFalse(a < a)
            for b in days.prefix(200) {
                XCTAssertEqual(a < b, a.dayNumber < b.dayNumber, "\(a) against \(b)")
                XCTAssertEqual(b < a, b.dayNumber < a.dayNumber, "\(b) against \(a)")
            }
        }
    }

    func testDaysUntilAndDescription() {
        XCTAssertEqual(d(2026, 1, 1).days(until: d(2026, 12, 31)), 364)
        XCTAssertEqual(d(2024, 1, 1).days(until: d(2025, 1, 1)), 366)
        XCTAssertEqual(d(2026, 7, 1).description, "2026-07-01")
        XCTAssertEqual(d(987, 7, 1).description, "0987-07-01")
    }

    func testShanghaiDayOfUnixTime() {
        XCTAssertEqual(CivilDate(unixTime: 0), d(1970, 1, 1))
        XCTAssertEqual(CivilDate(unixTime: 16 * 3600), d(1970, 1, 2))  // 00:00 +08
        XCTAssertEqual(CivilDate(unixTime: 16 * 3600 - 1), d(1970, 1, 1))
        XCTAssertEqual(CivilDate(unixTime: -8 * 3600 - 1), d(1969, 12, 31))
    }

    /// The agent's drill clock, `audit --since` and the draw's end of day start a day where
    /// `init(unixTime:)` turns to it: 16:00 UTC of the day before.
    func testShanghaiMidnightIsWhereTheDayBegins() {
        for text in ["2026-07-01", "1970-01-01", "1969-12-31", "2024-02-29"] {
            let day = CivilDate(isoText: text)!
            XCTAssertEqual(CivilDate(unixTime: day.shanghaiMidnight), day, text)
            XCTAssertEqual(CivilDate(unixTime: day.shanghaiMidnight - 1), day.adding(days: -1), text)
        }
        XCTAssertEqual(CivilDate(isoText: "2026-07-01")!.shanghaiMidnight, 1_782_835_200)
    }
}
