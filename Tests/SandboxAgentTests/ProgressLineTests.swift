import XCTest
@testable import SandboxAgent

/// The progress line of `check`, `run --once` and `generate`: its text from the figures, and the
/// display's throttling and wiping, with a fake clock and a fake terminal.
final class ProgressLineTests: XCTestCase {
    func testNumbersReadAtAGlance() {
        XCTAssertEqual(ProgressLine.grouped(0), "0")
        XCTAssertEqual(ProgressLine.grouped(999), "999")
        XCTAssertEqual(ProgressLine.grouped(1_000), "1,000")
        XCTAssertEqual(ProgressLine.grouped(469_000), "469,000")
        XCTAssertEqual(ProgressLine.grouped(12_345_678), "12,345,678")
        XCTAssertEqual(ProgressLine.megabytes(0), "0.0")
        XCTAssertEqual(ProgressLine.megabytes(49_999), "0.0")
        XCTAssertEqual(ProgressLine.megabytes(50_000), "0.1")
        XCTAssertEqual(ProgressLine.megabytes(38_249_000), "38.2")
        XCTAssertEqual(ProgressLine.megabytes(156_980_000), "157.0")
        XCTAssertEqual(ProgressLine.duration(0.2), "1 s")
        XCTAssertEqual(ProgressLine.duration(59), "59 s")
        XCTAssertEqual(ProgressLine.duration(60), "1 min 00 s")
        XCTAssertEqual(ProgressLine.duration(185), "3 min 05 s")
        XCTAssertEqual(ProgressLine.duration(7_440), "2 h 04 min")
    }

    func testAFileWithItsSizeShowsRateAndTimeLeftFromTheBytes() {
        var line = ProgressLine(label: "merchants-p-20261120.csv", bytesTotal: 150_000_000)
        line.rows = 120_000
        line.bytes = 50_000_000
        line.elapsedSeconds = 2
        XCTAssertEqual(line.bytesPerSecond, 25_000_000)
        XCTAssertEqual(line.secondsLeft, 4)
        XCTAssertEqual(line.text(width: 200), "merchants-p-20261120.csv  120,000 rows  50.0/150.0 MB  25.0 MB/s  4 s left")
    }

    func testNoEstimateInTheFirstSecondNorWithoutAnyBytes() {
        var line = ProgressLine(label: "a.csv", bytesTotal: 1_000_000)
        XCTAssertEqual(line.text(width: 80), "a.csv  0 rows  0.0/1.0 MB", "the start: nothing read yet")
        line.bytes = 100_000
        line.elapsedSeconds = 0.5
        XCTAssertNil(line.secondsLeft)
        XCTAssertEqual(line.text(width: 80), "a.csv  0 rows  0.1/1.0 MB  0.2 MB/s")
        line.bytes = 0
        line.elapsedSeconds = 3
        XCTAssertNil(line.bytesPerSecond)
        XCTAssertNil(line.secondsLeft, "no rate, no estimate")
    }

    /// `generate` knows how many merchants it writes, not how many bytes.
    func testWithoutASizeTheTimeLeftComesFromTheRows() {
        var line = ProgressLine(label: "generating out", rowsTotal: 400_000, rowNoun: "merchants")
        line.rows = 100_000
        line.bytes = 30_000_000
        line.elapsedSeconds = 10
        XCTAssertEqual(line.secondsLeft, 30)
        XCTAssertEqual(line.text(width: 200), "generating out  100,000/400,000 merchants  30.0 MB  3.0 MB/s  30 s left")
        line.rows = 0
        XCTAssertNil(line.secondsLeft)
        XCTAssertNil(ProgressLine(label: "x").secondsLeft, "neither size nor total: no estimate")
    }

    func testALongLabelKeepsItsEndAndTheLineNeverReachesTheLastColumn() {
        var line = ProgressLine(label: "merchants-a-very-long-platform-name-20261120.csv", bytesTotal: 10_000_000)
        line.rows = 5
        line.bytes = 1_000_000
        line.elapsedSeconds = 2
        let text = line.text(width: 60)
        XCTAssertEqual(ProgressLine.columns(text), 59, text)
        XCTAssertTrue(text.hasPrefix("…"), text)
        XCTAssertTrue(text.contains("20261120.csv  5 rows  1.0/10.0 MB"), text)
        // A terminal too narrow even for the figures: cut, still one row.
        XCTAssertEqual(ProgressLine.columns(line.text(width: 20)), 19)
    }

    func testChineseNamesTakeTwoColumnsEach() {
        XCTAssertEqual(ProgressLine.columns("商户-1.csv"), 10)
        var line = ProgressLine(label: "商户商户商户商户商户商户商户商户-1.csv", bytesTotal: 1_000_000)
        line.bytes = 1
        let text = line.text(width: 40)
        XCTAssertEqual(ProgressLine.columns(text), 39, text)
        XCTAssertTrue(text.hasSuffix("0 rows  0.0/1.0 MB"), text)
    }

    func testWantedOnlyAtATerminalOutsideSystemd() {
        let none: (String) -> String? = { _ in nil }
        XCTAssertTrue(ProgressDisplay.isWanted(stderrIsTerminal: true, environment: none))
        XCTAssertFalse(ProgressDisplay.isWanted(stderrIsTerminal: false, environment: none), "a pipe or a file")
        XCTAssertFalse(ProgressDisplay.isWanted(stderrIsTerminal: true, environment: { $0 == "NOTIFY_SOCKET" ? "/run/systemd/notify" : nil }))
        XCTAssertFalse(ProgressDisplay.isWanted(stderrIsTerminal: true, environment: { $0 == "INVOCATION_ID" ? "6b1f0c" : nil }))
        XCTAssertTrue(ProgressDisplay.isWanted(stderrIsTerminal: true, environment: { _ in "" }), "set but empty is not systemd")
    }

    /// A fake terminal: what was written, on a clock the test moves.
    final class Terminal {
        var written: [String] = []
        var now: UInt64 = 1_000_000_000
        lazy var display = ProgressDisplay(write: { [unowned self] in written.append($0) },
                                           clock: { [unowned self] in now }, width: { 100 })
    }

    func testDrawnAtOnceThenAtMostFiveTimesASecond() {
        let t = Terminal()
        t.display.start(ProgressLine(label: "a.csv", bytesTotal: 10_000_000))
        XCTAssertEqual(t.written, ["\ra.csv  0 rows  0.0/10.0 MB"], "the file shows as soon as it starts")
        for step in 1...9 {
            t.now += 20_000_000  // 20 ms: 180 ms in all, under the interval
            t.display.update(rows: step * 256, bytes: step * 100_000)
        }
        XCTAssertEqual(t.written.count, 1, "no redraw within 200 ms")
        t.now += 20_000_000
        t.display.update(rows: 2_560, bytes: 1_000_000)
        XCTAssertEqual(t.written.count, 2)
        XCTAssertEqual(t.written.last, "\ra.csv  2,560 rows  1.0/10.0 MB  5.0 MB/s")
        for _ in 0..<50 {
            t.now += 10_000_000
            t.display.update(rows: 3_000, bytes: 2_000_000)
        }
        XCTAssertEqual(t.written.count, 4, "half a second more: two more draws")
        XCTAssertTrue(t.written.allSatisfy { $0.hasPrefix("\r") && !$0.contains("\n") }, "in place, never a new line")
    }

    func testWipedBeforeOtherOutputAndAtTheEnd() {
        let t = Terminal()
        t.display.start(ProgressLine(label: "abcdefghij.csv", bytesTotal: 1_000_000))
        let width = ProgressLine.columns("abcdefghij.csv  0 rows  0.0/1.0 MB")
        t.display.clear()
        XCTAssertEqual(t.written.last, "\r" + String(repeating: " ", count: width) + "\r")
        t.now += 1_000_000
        t.display.update(rows: 1, bytes: 1)
        XCTAssertTrue(t.written.last?.hasPrefix("\rabcdefghij.csv  1 rows") == true, "redrawn at the next update after a wipe")
        // A shorter line blanks what the longer one left.
        t.display.start(ProgressLine(label: "b.csv", bytesTotal: 1_000_000))
        XCTAssertEqual(t.written.last, "\rb.csv  0 rows  0.0/1.0 MB" + String(repeating: " ", count: width - 25))
        t.display.finish()
        XCTAssertEqual(t.written.last, "\r" + String(repeating: " ", count: width) + "\r")
        let count = t.written.count
        t.now += 1_000_000_000
        t.display.update(rows: 9, bytes: 9)
        t.display.clear()
        XCTAssertEqual(t.written.count, count, "after the end nothing more is drawn or wiped")
    }
}
