import SandboxCore
import XCTest
@testable import SandboxFormats

final class EncodingTests: XCTestCase {
    lazy var scratch = Scratch(for: self)
    let chinese = "名称,住所\n成都市锦江区𠀀商店,\"春熙路1号, 2楼\"\n四川省𠀁公司,天府大道\n"
    let expected: [Item] = [.row(2, ["成都市锦江区𠀀商店", "春熙路1号, 2楼"]), .row(3, ["四川省𠀁公司", "天府大道"])]

    func testTranscoderRoundTripsIncludingFourByteSequences() throws {
        XCTAssertEqual(gb18030("中"), [0xD6, 0xD0])
        XCTAssertEqual(gb18030("𠀀"), [0x95, 0x32, 0x82, 0x36])  // U+20000, a 4-byte GB18030 sequence
        XCTAssertEqual(try Transcoder.decode(gb18030(chinese), from: "GB18030"), chinese)
    }

    func testTranscoderStepsReportIncompleteAndInvalidInput() throws {
        let t = try Transcoder(from: "GB18030", to: "UTF-8")
        var out = [UInt8](repeating: 0, count: 16)
        let incomplete: [UInt8] = [0x41, 0x95, 0x32]
        let step = incomplete.withUnsafeBytes { i in out.withUnsafeMutableBytes { t.convert(i, into: $0) } }
        XCTAssertEqual(step, Transcoder.Step(consumed: 1, produced: 1, stop: .incompleteInput))
        XCTAssertThrowsError(try t.convert([0x41, 0xFF, 0x41])) { XCTAssertEqual($0 as? Transcoder.Failure, .invalidSequence(at: 1)) }
        XCTAssertThrowsError(try Transcoder(from: "NO-SUCH-CODE", to: "UTF-8"))
    }

    func testGB18030WithEveryChunkSizeSplittingCharacters() throws {
        let path = scratch.write(gb18030(chinese))
        for encoding in [TextEncoding.gb18030, .auto] {
            for chunk in [1, 2, 3, 5, 7, 64, 256 * 1024] {
                let reader = try open(path, .csv, encoding, chunk: chunk)
                XCTAssertEqual(reader.columns, ["名称", "住所"], "\(encoding) chunk \(chunk)")
                XCTAssertEqual(try readAll(reader), expected, "\(encoding) chunk \(chunk)")
            }
        }
    }

    func testAutoReadsUTF8WithAndWithoutBOM() throws {
        for bom in [[], [0xEF, 0xBB, 0xBF] as [UInt8]] {
            let path = scratch.write(bom + Array(chinese.utf8))
            for chunk in [1, 3, 256 * 1024] {
                let reader = try open(path, .csv, .auto, chunk: chunk)
                XCTAssertEqual(reader.columns, ["名称", "住所"])
                XCTAssertEqual(try readAll(reader), expected)
            }
        }
    }

    func testAutoReadsGBKThatStartsWithValidLookingUTF8() throws {
        // 说 is CB B5 in GBK, which is also a valid UTF-8 sequence (U+02F5): only later bytes tell.
        let path = scratch.write(gb18030("说明,金额\n说说说说说中文,1\n"))
        XCTAssertEqual(try readAll(open(path)), [.row(2, ["说说说说说中文", "1"])])
    }

    func testAutoSwitchesToGB18030AfterLongASCIIPrefix() throws {
        var text = "id,name\n"
        for i in 1...2000 { text += "\(i),shop\(i)\n" }
        text += "2001,成都𠀀商店\n"
        let path = scratch.write(gb18030(text))
        for chunk in [13, 4096, 256 * 1024] {
            let items = try readAll(open(path, chunk: chunk))
            XCTAssertEqual(items.count, 2001)
            XCTAssertEqual(items[1999], .row(2001, ["2000", "shop2000"]))
            XCTAssertEqual(items[2000], .row(2002, ["2001", "成都𠀀商店"]), "chunk \(chunk)")
        }
    }

    func testInvalidUTF8AfterUTF8TextRejectsThatRowOnly() throws {
        let bytes = Array("名称,n\n成都,1\n".utf8) + [0x41, 0xFF, 0x42, 0x2C, 0x32, 0x0A] + Array("重庆,3\n".utf8)
        let path = scratch.write(bytes)
        for encoding in [TextEncoding.auto, .utf8] {
            let items = try readAll(open(path, .csv, encoding))
            XCTAssertEqual(items.count, 3)
            XCTAssertEqual(items[0], .row(2, ["成都", "1"]))
            guard case .bad(let line, let column, let reason) = items[1] else { return XCTFail("\(items)") }
            XCTAssertEqual(line, 3)
            XCTAssertEqual(column, "名称")
            XCTAssertTrue(reason.hasPrefix("bytes that are not valid UTF-8 text"), reason)
            XCTAssertEqual(items[2], .row(4, ["重庆", "3"]))
        }
    }

    func testInvalidGB18030RejectsThatRowOnly() throws {
        let bytes = gb18030("名称,n\n成都,1\n") + [0x31, 0x2C, 0x80, 0x0A] + gb18030("重庆,3\n")
        let path = scratch.write(bytes)
        for chunk in [1, 2, 256 * 1024] {
            let items = try readAll(open(path, .csv, .gb18030, chunk: chunk))
            XCTAssertEqual(items.count, 3)
            guard case .bad(let line, let column, let reason) = items[1] else { return XCTFail("\(items)") }
            XCTAssertEqual(line, 3)
            XCTAssertEqual(column, "n")
            XCTAssertTrue(reason.hasPrefix("bytes that are not valid GB18030 text"), reason)
            XCTAssertEqual(items[2], .row(4, ["重庆", "3"]))
        }
    }

    func testUTF8CutOffInsideACharacterAtEndOfFile() throws {
        let path = scratch.write(Array("a,b\n1,成".utf8.dropLast()))
        let items = try readAll(open(path, .csv, .utf8))
        guard case .bad(let line, _, _) = items.first, items.count == 1 else { return XCTFail("\(items)") }
        XCTAssertEqual(line, 2)
    }

    func testGzipSingleMemberDetectedFromBytesNotName() throws {
        let path = scratch.write(gzip(Array(chinese.utf8)), name: "merchants-0701.csv")
        for chunk in [1, 5, 256 * 1024] {
            XCTAssertEqual(try readAll(open(path, chunk: chunk)), expected)
        }
    }

    func testGzipMultiMemberAndGB18030Inside() throws {
        let part1 = gb18030("名称,住所\n成都市锦江区𠀀商店,\"春熙路1号, ")
        let part2 = gb18030("2楼\"\n四川省𠀁公司,天府大道\n")
        let path = scratch.write(gzip(part1) + gzip(part2), name: "x.csv.gz")
        for chunk in [3, 256 * 1024] {
            XCTAssertEqual(try readAll(open(path, .csv, .auto, chunk: chunk)), expected)
        }
    }

    func testTruncatedGzipIsUnreadable() {
        var text = "id,name\n"
        for i in 1...3000 { text += "\(i),shop \(i * 7919 % 1000)\n" }
        let full = gzip(Array(text.utf8))
        let path = scratch.write(Array(full.prefix(full.count / 2)), name: "t.csv.gz")
        let error = unreadable { _ = try readAll(open(path, chunk: 512)) }
        XCTAssertTrue(error?.reason.hasPrefix("gzip data is truncated") ?? false, "\(String(describing: error))")
        XCTAssertNotNil(error?.line)
    }

    func testCorruptGzipIsUnreadable() {
        var bytes = gzip(Array("a,b\n1,2\n".utf8))
        for i in 10..<bytes.count - 8 { bytes[i] ^= 0x5A }
        let path = scratch.write(bytes, name: "c.csv.gz")
        let error = unreadable { _ = try readAll(open(path)) }
        XCTAssertTrue(error?.reason.hasPrefix("corrupt gzip data") ?? false, "\(String(describing: error))")
    }

    func testBinaryInsideGzipIsRefused() {
        let path = scratch.write(gzip([0x61, 0x2C, 0x62, 0x0A, 0x00, 0x01]), name: "b.jsonl.gz")
        let error = unreadable { _ = try readAll(open(path, .jsonLines)) }
        XCTAssertTrue(error?.reason.hasPrefix("binary file, not CSV/JSON Lines text") ?? false, "\(String(describing: error))")
    }
}
