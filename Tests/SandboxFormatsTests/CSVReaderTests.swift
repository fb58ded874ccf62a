import SandboxCore
import XCTest
@testable import SandboxFormats

final class CSVReaderTests: XCTestCase {
    lazy var scratch = Scratch(for: self)

    /// Every edge case at once; read with many chunk sizes so each byte boundary is crossed.
    static let tricky = "\u{FEFF} id , name ,note\r\n"
        + "1,plain,\r\n"
        + "2,\"with, comma\",\"say \"\"hi\"\"\"\r\n"
        + "\r\n"
        + "3,\"two\r\nlines\",x\n"
        + "4,\"three\nlines\rhere\",\"\"\r"
        + "5,ab\"c,\"q\"tail\n"
        + ",,\n"
        + "6,,last"
    static let trickyRows: [Item] = [
        .row(2, ["1", "plain", ""]),
        .row(3, ["2", "with, comma", "say \"hi\""]),
        .row(5, ["3", "two\r\nlines", "x"]),
        .row(7, ["4", "three\nlines\rhere", ""]),
        .row(10, ["5", "ab\"c", "qtail"]),
        .row(12, ["6", "", "last"]),
    ]

    func testEdgeCasesWithEveryChunkSize() throws {
        let path = scratch.write(Self.tricky)
        for chunk in [1, 2, 3, 4, 5, 7, 11, 64, 256 * 1024] {
            let reader = try open(path, chunk: chunk)
            XCTAssertEqual(reader.columns, ["id", "name", "note"], "chunk \(chunk)")
            XCTAssertEqual(try readAll(reader), Self.trickyRows, "chunk \(chunk)")
        }
    }

    func testLineEndingsLFCRLFAndLoneCR() throws {
        for eol in ["\n", "\r\n", "\r"] {
            let path = scratch.write("a,b" + eol + "1,2" + eol + "3,4" + eol)
            XCTAssertEqual(try readAll(open(path)), [.row(2, ["1", "2"]), .row(3, ["3", "4"])], "eol \(eol.debugDescription)")
        }
    }

    func testBlankLinesAndTrailingBlankLinesAreSkipped() throws {
        let path = scratch.write("a,b\n\n1,2\n   \n\n3,4\n\n\r\n\n")
        XCTAssertEqual(try readAll(open(path)), [.row(3, ["1", "2"]), .row(4, ["   "]), .row(6, ["3", "4"])])
    }

    func testNoFinalNewlineAndEmptyFields() throws {
        let path = scratch.write("a,b,c\n,,x\n1,,\n,2,")
        XCTAssertEqual(try readAll(open(path)), [.row(2, ["", "", "x"]), .row(3, ["1", "", ""]), .row(4, ["", "2", ""])])
    }

    func testQuotedFieldClosingAtEndOfFile() throws {
        let path = scratch.write("a,b\n1,\"x\"\"\"")
        XCTAssertEqual(try readAll(open(path)), [.row(2, ["1", "x\""])])
    }

    func testShortAndLongRowsAreKeptAsTheyAre() throws {
        let path = scratch.write("a,b\n1\n1,2,3\n")
        XCTAssertEqual(try readAll(open(path)), [.row(2, ["1"]), .row(3, ["1", "2", "3"])])
    }

    func testUnterminatedQuoteAtEndOfFileCostsOneRowAndReadingGoesOn() throws {
        let path = scratch.write("a,b\n1,\"open\n2,x\n3,y\n")
        let items = try readAll(open(path))
        XCTAssertEqual(items.count, 3)
        guard case .bad(let line, let column, let reason) = items[0] else { return XCTFail("\(items)") }
        XCTAssertEqual(line, 2)
        XCTAssertEqual(column, "b")
        XCTAssertTrue(reason.contains("closing quote") && reason.contains("before the end of the file"), reason)
        XCTAssertEqual(Array(items[1...]), [.row(3, ["2", "x"]), .row(4, ["3", "y"])])
    }

    func testUnterminatedQuoteIsBoundedByMaxRecordBytes() throws {
        var text = "a,b\n1,\"never closed\n"
        for i in 2...200 { text += "\(i),v\(i)\n" }
        let path = scratch.write(text)
        for chunk in [7, 64, 4096] {
            let items = try readAll(open(path, chunk: chunk, maxRecord: 256))
            guard case .bad(let line, _, let reason) = items.first else { return XCTFail("\(items)") }
            XCTAssertEqual(line, 2)
            XCTAssertTrue(reason.contains("within 256 bytes"), reason)
            XCTAssertEqual(items.count, 200)
            XCTAssertEqual(items[1], .row(3, ["2", "v2"]))
            XCTAssertEqual(items.last, .row(201, ["200", "v200"]))
        }
    }

    /// Found by fuzzing (Fuzz/corpus/csv/crash-resynchronise-stale-offset): a quote that never
    /// closes, in GB18030 text with invalid bytes, across a refill of the window while the reader
    /// looked for the next line. The position of the broken record was kept from before the
    /// window moved, and the reader trapped ("Range requires lowerBound <= upperBound"): one
    /// malformed inbox file stopped the agent. Now it costs that record only.
    func testAnUnclosedQuoteAcrossARefillWhileResynchronisingCostsOneRecord() throws {
        let input = Array(Data(base64Encoded: "dSzqwxpj/v4iWFhYWFhYO1gNClhYWL9hLCJiDf02NjY2NjY2NjY2NjZYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYMDE4ODc2Mk1BNjGADcU5MVhYWFgK")!)
        let path = scratch.write(input)
        for chunk in [16, 7, 64] {
            let items = try readAll(open(path, .csv, .gb18030, chunk: chunk, maxRecord: 64))
            XCTAssertFalse(items.isEmpty, "chunk \(chunk)")
            XCTAssertTrue(items.contains { if case .bad = $0 { true } else { false } }, "chunk \(chunk): \(items)")
        }
    }

    func testOverlongUnquotedLineIsRejectedAndSkipped() throws {
        let path = scratch.write("a,b\n1," + String(repeating: "x", count: 1000) + "\n2,y\n")
        let items = try readAll(open(path, chunk: 16, maxRecord: 100))
        guard case .bad(let line, _, let reason) = items.first else { return XCTFail("\(items)") }
        XCTAssertEqual(line, 2)
        XCTAssertTrue(reason.contains("longer than 100 bytes"), reason)
        XCTAssertEqual(Array(items.dropFirst()), [.row(3, ["2", "y"])])
    }

    func testLineNumbersCountBreaksInsideQuotedFields() throws {
        let path = scratch.write("a,b\n\"1\n\n2\",x\n3,\"y\r\nz\"\n4,w\n")
        XCTAssertEqual(try readAll(open(path)),
                       [.row(2, ["1\n\n2", "x"]), .row(5, ["3", "y\r\nz"]), .row(7, ["4", "w"])])
    }

    func testHeaderIsFirstNonBlankRecordAndTrimmed() throws {
        let path = scratch.write("\n\r\n  统一社会信用代码 ,\t名称\t\n91510100MA61234567,成都\n")
        let reader = try open(path)
        XCTAssertEqual(reader.columns, ["统一社会信用代码", "名称"])
        XCTAssertEqual(try readAll(reader), [.row(4, ["91510100MA61234567", "成都"])])
    }

    func testNoHeaderRow() {
        for text in ["", "\n\n\r\n", "\u{FEFF}"] {
            let path = scratch.write(text)
            let error = unreadable { _ = try open(path) }
            XCTAssertTrue(error?.reason.hasPrefix("no header row") ?? false, "\(String(describing: error))")
        }
    }

    func testHeaderWithUnterminatedQuoteMakesFileUnreadable() {
        let path = scratch.write("a,\"b\n")
        let error = unreadable { _ = try open(path) }
        XCTAssertEqual(error?.line, 1)
        XCTAssertTrue(error?.reason.hasPrefix("header row: a quoted field") ?? false, "\(String(describing: error))")
    }

    func testCannotOpenNamesTheSystemReason() {
        let error = unreadable { _ = try open(scratch.directory + "/missing.csv") }
        XCTAssertEqual(error?.reason, "cannot open \(scratch.directory)/missing.csv: No such file or directory")
    }

    func testBinaryFileIsRefused() {
        let path = scratch.write([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00] + Array("a,b\n1,2\n".utf8))
        let error = unreadable { _ = try open(path) }
        XCTAssertTrue(error?.reason.hasPrefix("binary file, not CSV/JSON Lines text") ?? false, "\(String(describing: error))")
    }

    func testManyRowsAcrossChunks() throws {
        var text = "id,name,amount\n"
        for i in 1...5000 { text += "\(i),\"商户 \(i), 成都\",\(i * 3).50\r\n" }
        let path = scratch.write(text)
        let items = try readAll(open(path, chunk: 1000))
        XCTAssertEqual(items.count, 5000)
        XCTAssertEqual(items[0], .row(2, ["1", "商户 1, 成都", "3.50"]))
        XCTAssertEqual(items[4999], .row(5001, ["5000", "商户 5000, 成都", "15000.50"]))
    }
}
