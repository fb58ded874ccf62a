import SandboxCore
import XCTest

/// The house's one CSV field writer (`CSVField`): the agent's `report --csv`, the console's
/// exports, `draw --csv` and the generator's files.
final class CSVFieldTests: XCTestCase {
    /// Each value, then as `text` and as `spreadsheetText` writes it.
    static let cases: [(String, String, String)] = [
        ("plain 店", "plain 店", "plain 店"),
        ("", "", ""),
        ("a,b", "\"a,b\"", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\"", "\"two\nlines\""),
        ("cr\ronly", "\"cr\ronly\"", "\"cr\ronly\""),
        // One `Character` in Swift, equal to neither "\r" nor "\n": the string versions before
        // CSVField let it through unquoted.
        ("two\r\nlines", "\"two\r\nlines\"", "\"two\r\nlines\""),
        // Formulas are a spreadsheet's business, not CSV's.
        ("=HYPERLINK(\"http://x\")", "\"=HYPERLINK(\"\"http://x\"\")\"", "\"'=HYPERLINK(\"\"http://x\"\")\""),
        ("+1", "+1", "'+1"),
        ("-3", "-3", "'-3"),
        ("@SUM(A1)", "@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "\tx", "'\tx"),
        ("\rx", "\"\rx\"", "\"'\rx\""),
        ("a=b", "a=b", "a=b"),
    ]

    func testQuotedOnlyWhenNeededAndFormulasKeptAsTextForSpreadsheets() {
        for (value, text, cell) in Self.cases {
            XCTAssertEqual(CSVField.text(value), text, value)
            XCTAssertEqual(CSVField.spreadsheetText(value), cell, value)
        }
    }

    func testBytesAppendLikeText() {
        for s in ["", "x", "a,b", "\"", "成都,\"店\"\r\n"] {
            var out: [UInt8] = [0x41]
            var copy = s
            copy.withUTF8 { CSVField.append(utf8: $0, to: &out) }
            XCTAssertEqual(out, [0x41] + Array(CSVField.text(s).utf8), s)
        }
    }
}
