import SandboxCore
import XCTest
@testable import SandboxFormats

final class JSONLinesReaderTests: XCTestCase {
    lazy var scratch = Scratch(for: self)

    func read(_ text: String, chunk: Int = 256 * 1024) throws -> (columns: [String], items: [Item]) {
        let reader = try open(scratch.write(text, name: "e\(text.utf8.count)-\(chunk).jsonl"), .jsonLines, .auto, chunk: chunk)
        let items = try readAll(reader)
        return (reader.columns, items)
    }

    func testScalarsEscapesAndSurrogatePairs() throws {
        let text = #"{"id":"a\"b\\c\/d\n\t\r\b\f","name":"\u6210\u90FD \uD840\uDC00 😀 \ud83d\ude00","n":-12.50e+3,"z":0,"ok":true,"no":false,"gone":null}"# + "\n"
        for chunk in [1, 3, 7, 256 * 1024] {
            let (columns, items) = try read(text, chunk: chunk)
            XCTAssertEqual(columns, ["id", "name", "n", "z", "ok", "no", "gone"])
            XCTAssertEqual(items, [.row(1, ["a\"b\\c/d\n\t\r\u{8}\u{c}", "成都 𠀀 😀 😀", "-12.50e+3", "0", "true", "false", ""])], "chunk \(chunk)")
        }
    }

    func testColumnsGrowAndRowsAlignWithColumnsAtThatMoment() throws {
        let text = "{\"a\":\"1\",\"b\":\"2\"}\n\n  \r\n{\"b\":\"3\",\"c\":4}\r\n{}\n{ \"c\" : 5 , \"a\" : \"x\" }"
        let (columns, items) = try read(text)
        XCTAssertEqual(columns, ["a", "b", "c"])
        XCTAssertEqual(items, [.row(1, ["1", "2"]), .row(4, ["", "3", "4"]), .row(5, ["", "", ""]), .row(6, ["x", "", "5"])])
    }

    func testNestedValueNamesTheKey() throws {
        let (_, items) = try read("{\"id\":\"1\",\"tags\":[\"x\"]}\n{\"id\":\"2\",\"addr\":{\"city\":\"成都\"}}\n{\"id\":\"3\"}\n")
        XCTAssertEqual(items, [
            .bad(1, "tags", "value must be a string, number, boolean or null"),
            .bad(2, "addr", "value must be a string, number, boolean or null"),
            .row(3, ["3"]),
        ])
    }

    func testSyntaxErrorsGiveCharacterColumn() throws {
        let lines = [
            #"{"名称":"成都" "x":1}"#,
            #"["not","an","object"]"#,
            #"{"a":1,}"#,
            #"{"a":01}"#,
            #"{"a":tru}"#,
            #"{"a":"open}"#,
            #"{"a":"\uD83D"}"#,
            #"{"a":"\q"}"#,
            #"{"a":1} trailing"#,
            #"{"a":1,"a":2}"#,
            #"{"a":-}"#,
            #"{"a":1"#,
        ]
        let (_, items) = try read(lines.joined(separator: "\n") + "\n{\"a\":\"ok\"}\n")
        XCTAssertEqual(items, [
            .bad(1, nil, "line 1, column 12: expected ',' or '}', found '\"'"),
            .bad(2, nil, "line 2, column 1: expected '{': each line must be one JSON object, found '['"),
            .bad(3, nil, "line 3, column 8: expected a key in double quotes, found '}'"),
            .bad(4, nil, "line 4, column 7: expected ',' or '}', found '1'"),
            .bad(5, nil, "line 5, column 6: expected a value (string, number, true, false or null), found 't'"),
            .bad(6, nil, "line 6, column 6: string is not closed (missing '\"'), found '\"'"),
            .bad(7, nil, "line 7, column 7: \\u escape is a lone high surrogate; a low surrogate \\uDC00-\\uDFFF must follow, found '\\'"),
            .bad(8, nil, "line 8, column 7: unknown escape '\\q' in a string, found '\\'"),
            .bad(9, nil, "line 9, column 9: expected the end of the line after the object, found 't'"),
            .bad(10, "a", "key \"a\" appears twice in this object; keep one"),
            .bad(11, nil, "line 11, column 7: expected a digit in the number, found '}'"),
            .bad(12, nil, "line 12, column 7: expected ',' or '}', found end of line"),
            .row(13, ["ok"]),
        ])
    }

    func testEscapesAtEveryOffsetOfLongStrings() throws {
        var text = ""
        var expected: [Item] = []
        for k in 0..<20 {
            let pad = String(repeating: "成", count: k % 4) + String(repeating: "x", count: k)
            text += "{\"s\":\"\(pad)\\\"\(pad)\",\"t\":\"\(pad)\"}\n"
            expected.append(.row(k + 1, [pad + "\"" + pad, pad]))
        }
        XCTAssertEqual(try read(text).items, expected)
    }

    func testNumbersKeepTheirLiteralText() throws {
        let (_, items) = try read(#"{"a":12345678901234567890,"b":1.000,"c":-0,"d":3E-7}"#)
        XCTAssertEqual(items, [.row(1, ["12345678901234567890", "1.000", "-0", "3E-7"])])
    }

    func testOverlongLineIsRejectedAndReadingGoesOn() throws {
        let long = "{\"a\":\"" + String(repeating: "x", count: 500) + "\"}"
        let reader = try open(scratch.write(long + "\n{\"a\":\"y\"}\n", name: "l.jsonl"), .jsonLines, .utf8, chunk: 16, maxRecord: 100)
        XCTAssertEqual(try readAll(reader), [.bad(1, nil, "line longer than 100 bytes; check the export"), .row(2, ["y"])])
    }

    func testGzipGB18030JSONLines() throws {
        let bytes = gzip(gb18030("{\"shop_name\":\"成都𠀀店\"}\n")) + gzip(gb18030("{\"shop_name\":\"说明\"}\n"))
        let reader = try open(scratch.write(bytes, name: "m.jsonl.gz"), .jsonLines, .gb18030, chunk: 2)
        XCTAssertEqual(try readAll(reader), [.row(1, ["成都𠀀店"]), .row(2, ["说明"])])
    }

    func testEmptyFileHasNoRows() throws {
        let (columns, items) = try read("")
        XCTAssertEqual(columns, [])
        XCTAssertEqual(items, [])
    }

    /// Issue 17 item 3: each line's new key widened every later row, so n lines with a key each
    /// were n² work. A file has at most 256 distinct keys; a line bringing one more is rejected,
    /// and its key does not become a column.
    func testAFileHasAtMostTheDistinctKeysOfItsLimit() throws {
        let text = (0..<300).map { #"{"id":"1","k\#($0)":2}"# }.joined(separator: "\n") + "\n"
        let (columns, items) = try read(text)
        XCTAssertEqual(columns.count, JSONLinesReader.defaultMaxColumns)
        XCTAssertEqual(columns.last, "k254")
        XCTAssertEqual(items.count, 300)
        XCTAssertEqual(items[254], .row(255, ["1"] + Array(repeating: "", count: 254) + ["2"]))
        guard case .bad(256, "k255", let reason) = items[255] else { return XCTFail("\(items[255])") }
        XCTAssertTrue(reason.contains("at most 256 distinct keys"), reason)
        // A known key still reads after the limit was reached.
        let more = try read(text + #"{"k3":"x"}"# + "\n")
        XCTAssertEqual(more.items.last, .row(301, ["", "", "", "", "x"] + Array(repeating: "", count: 251)))
    }
}
