import Foundation
import SandboxCore
import XCTest

/// The house's one UTC time text (`UTCTime`): the agent's stamps and outbox names, the
/// regulator's answers and the times it reads back.
final class UTCTimeTests: XCTestCase {
    func testWritesRFC3339AndCompactText() {
        XCTAssertEqual(UTCTime.rfc3339(0), "1970-01-01T00:00:00Z")
        XCTAssertEqual(UTCTime.rfc3339(1_782_894_600), "2026-07-01T08:30:00Z")
        XCTAssertEqual(UTCTime.compact(1_782_894_600), "20260701T083000Z")
        // Before 1970: floor division, not the day after.
        XCTAssertEqual(UTCTime.rfc3339(-1), "1969-12-31T23:59:59Z")
        XCTAssertEqual(UTCTime.compact(-86_400), "19691231T000000Z")
        XCTAssertEqual(UTCTime.rfc3339(1_709_164_799), "2024-02-28T23:59:59Z")
        // Written as bytes: every digit's place, and the years that fall back to the padded text.
        XCTAssertEqual(UTCTime.rfc3339(253_402_300_799), "9999-12-31T23:59:59Z")
        XCTAssertEqual(UTCTime.rfc3339(-62_135_596_800 + 39_599), "0001-01-01T10:59:59Z")
        XCTAssertEqual(UTCTime.rfc3339(253_402_300_800), "10000-01-01T00:00:00Z")
        XCTAssertEqual(CivilDate(year: 905, month: 10, day: 9)!.description, "0905-10-09")
        var bytes = Array("day ".utf8)
        CivilDate(year: 2026, month: 12, day: 31)!.appendISO(to: &bytes)
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "day 2026-12-31")
        CivilDate(dayNumber: CivilDate(year: 9999, month: 12, day: 31)!.dayNumber + 2).appendISO(to: &bytes)
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "day 2026-12-3110000-01-02")
    }

    /// What Foundation's ISO8601DateFormatter (the regulator's parser before) read, this reads the same.
    func testParsesWhatISO8601DateFormatterParsed() {
        let formatter = ISO8601DateFormatter()
        let samples = ["2026-07-01T08:30:00Z", "2026-07-01T16:30:00+08:00", "2026-07-01T00:30:00-08:00",
                       "1969-12-31T23:59:59Z", "2024-02-29T12:00:00Z", "2026-12-31T23:59:59+14:00", "2026-01-01T00:00:00-00:00"]
        for s in samples {
            XCTAssertEqual(UTCTime.parse(s), formatter.date(from: s).map { Int64($0.timeIntervalSince1970) }, s)
            XCTAssertNotNil(UTCTime.parse(s), s)
        }
        for s in [1_782_894_600, 0, -1, 4_102_444_800] as [Int64] { XCTAssertEqual(UTCTime.parse(UTCTime.rfc3339(s)), s) }
    }

    func testBareDaysFractionsAndRefusals() {
        XCTAssertEqual(UTCTime.parse("2026-07-01"), 1_782_864_000)
        XCTAssertEqual(UTCTime.parse("2026-07-01T08:30:00.999Z"), 1_782_894_600)
        XCTAssertEqual(UTCTime.parse("2026-07-01t08:30:00z"), 1_782_894_600)
        for bad in ["", "2026-7-1", "2026-02-30", "2026-02-30T00:00:00Z", "2026-07-01T24:00:00Z", "2026-07-01T08:60:00Z",
                    "2026-07-01T08:30:00", "2026-07-01T08:30Z", "2026-07-01 08:30:00Z", "2026-07-01T08:30:00+0800",
                    "2026-07-01T08:30:00+08:00x", "2026-07-01T08:30:00.Z", "2026-07-01T08:30:00ZZ", "now"] {
            XCTAssertNil(UTCTime.parse(bad), bad)
        }
    }
}
