import SandboxStorage
import TestSupport
import XCTest
@testable import SandboxRegulator

/// SQLiteTime reads a time as SQLite's own `julianday` does (the outcome counts depend on it):
/// checked against SQLite itself on the forms it documents, the edges of its parser, and many
/// texts made of the characters times are made of.
final class SQLiteTimeTests: XCTestCase {
    /// SQLite's answer: julianday × 86,400,000 rounded (its milliseconds; the double is within a
    /// fraction of a millisecond of them), and the Asia/Shanghai day by SQLite's own `date`.
    static func sqlite(_ db: Database, _ value: String, asNumber: Bool = false) throws -> (ms: Int64?, day: String?) {
        let q = try db.prepare(asNumber
            ? "SELECT round(julianday(CAST(?1 AS REAL)) * 86400000), date(CAST(?1 AS REAL), '+8 hours')"
            : "SELECT round(julianday(?1) * 86400000), date(?1, '+8 hours')")
        defer { q.reset() }
        try q.bind(1, value)
        _ = try q.step()
        let day = q.string(1).flatMap { $0.count == 10 && !$0.hasPrefix("0000") ? $0 : nil }
        return (q.isNull(0) ? nil : Int64(q.double(0)), day)
    }

    func assertSame(_ db: Database, _ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try Self.sqlite(db, text)
        XCTAssertEqual(SQLiteTime.julianMilliseconds(.string(text)), expected.ms, "julianday(\(text.debugDescription))", file: file, line: line)
        XCTAssertEqual(SQLiteTime.shanghaiDay(.string(text)), expected.day, "the day of \(text.debugDescription)", file: file, line: line)
    }

    func testTheFormsAndEdgesSQLiteReads() throws {
        let db = try Database(path: ":memory:")
        for text in [
            "2026-04-05T09:00:00+08:00", "2026-04-05T01:00:00Z", "2026-04-05T01:00:00z", "2026-04-05 10:00", "2026-04-05",
            "2026-04-05T", "2026-04-05TT 10:00:00 +08:00 ", "2026-02-30", "2026-02-31T23:00", "2026-04-05T24:00", "2026-04-05T24:59:59",
            "2026-04-05T15:59:59.9996Z", "2026-04-05T15:59:59.9994Z", "2026-04-05T15:59:59.123456789+08:00", "2026-04-05T10:00:00+0800",
            "2026-04-05T10:00:00+08", "2026-04-05Z", "2026/04/05", "yesterday", "", " 2026-04-05", "2026-04-05T10:00:00+14:59",
            "2026-04-05T10:00:00+15:00", "2026-4-05", "14712-01-01", "-0001-01-01", "0000-01-01", "0001-01-01T00:00:00+08:00",
            "9999-12-31T23:59:59.999", "9999-12-31T23:59:59.999-01:00", "9999-12-31T15:59:59.999+00:00", "2026-04-05T10:00:00.z",
            "2026-04-05T10:00:00. ", "2026-04-05t10:00", "10:00", "23:59:59.5", "2026-04-05T10:60", "2026-04-05T10:00:60",
            "2026-00-05", "2026-13-05", "2026-04-00", "2026-04-32", "2026-04-05T10:00:00+08:00x", "2026-04-05\u{0}T10:00",
            "2026-04-05T10:00:00 -05:30", "2026-04-05\t10:00", "2026-04-05T10:00:00.", "2026-04-05T10:00:5", "2026-04-05T1:00",
            "-4713-11-24T12:00", "-4713-11-24T11:59", "-4714-01-01",
            // Numbers as text are Julian days to SQLite.
            "2461136.5", " 2461136 ", "2461136.", ".5", "2.4611365e6", "2.4611365E+6", "1e", "1e+", "+2461136", "-0", "-1", ".", "e5",
            "0x10", "inf", "nan", "5373484.5", "5373484.4999", "2461136.5x", "2461136.5 x",
        ] {
            try assertSame(db, text)
        }
    }

    /// Julian day numbers as JSON numbers.
    func testNumbersAreJulianDays() throws {
        let db = try Database(path: ":memory:")
        for n in [2_461_136.0, 2_461_135.8, 0, 1, 5_373_484.49, 5_373_484.5, -1, 2_451_544.5] {
            let expected = try Self.sqlite(db, String(n), asNumber: true)
            XCTAssertEqual(SQLiteTime.julianMilliseconds(.double(n)), expected.ms, "julianday(\(n))")
            XCTAssertEqual(SQLiteTime.shanghaiDay(.double(n)), expected.day, "the day of \(n)")
        }
        XCTAssertEqual(SQLiteTime.julianMilliseconds(.int(2_461_136)), 2_461_136 * 86_400_000)
    }

    /// Texts made at random of digits, separators, zones and spaces, half of them near a valid time.
    func testRandomTextsAsSQLiteReadsThem() throws {
        let db = try Database(path: ":memory:")
        var rng = SplitMix(seed: 20261203)
        let pieces = ["2026", "-", "04", "05", "T", " ", ":", "10", "00", "59", "60", "24", ".", "9996", "Z", "z", "+", "08", "14", "15",
                      "-05:30", "+08:00", "31", "02", "29", "1", "0", "\t", "t", "x"]
        for n in 0..<4_000 {
            var text: String
            if n % 2 == 0 {
                text = "2026-0\(Int.random(in: 1...9, using: &rng))-\(Int.random(in: 10...31, using: &rng))"
                for _ in 0..<Int.random(in: 0...6, using: &rng) { text += pieces.randomElement(using: &rng)! }
            } else {
                text = ""
                for _ in 0..<Int.random(in: 1...12, using: &rng) { text += pieces.randomElement(using: &rng)! }
            }
            try assertSame(db, text)
        }
    }
}

