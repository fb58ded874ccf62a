import Foundation
import SandboxCore
import TestSupport
import XCTest

/// The house's one reader and writer of JSON string text (`JSONString`): what the link's parser,
/// the exports' JSON Lines reader, the agent's lines and the regulator's stored JSON all use.
final class JSONStringTests: XCTestCase {
    /// Decodes `text` (a string body after its opening quote, with its closing quote) from its
    /// first backslash on, as the callers do after their fast paths.
    func decode(_ text: [UInt8], strict: Bool = true) -> Result<[UInt8], JSONString.Failure> {
        text.withUnsafeBufferPointer { b in
            var i = 0
            var out: [UInt8] = []
            while i < b.count, b[i] != 0x5C, b[i] != 0x22 { out.append(b[i]); i += 1 }
            do throws(JSONString.Failure) {
                if i < b.count, b[i] == 0x22 { i += 1 } else {
                    try JSONString.decodeEscaped(b.baseAddress!, &i, b.count, into: &out, refusingControlCharacters: strict)
                }
                return i == b.count ? .success(out) : .failure(JSONString.Failure(.unclosed, at: i))
            } catch {
                return .failure(error)
            }
        }
    }

    func decode(_ text: String, strict: Bool = true) -> Result<[UInt8], JSONString.Failure> {
        decode(Array(text.utf8), strict: strict)
    }

    func testEscapesByNameAndByNumber() {
        XCTAssertEqual(try decode(#"a\"b\\c\/d\b\f\n\r\t""#).get(), Array("a\"b\\c/d\u{8}\u{c}\n\r\t".utf8))
        XCTAssertEqual(try decode(#"\u0041\u4e2d\u4E2D\u00e9\u0000""#).get(), Array("A中中é\u{0}".utf8))
    }

    func testSurrogatePairsBecomeOneScalar() {
        XCTAssertEqual(try decode(#"\ud83d\ude00 \uD840\uDC00""#).get(), Array("😀 𠀀".utf8))
        // The largest scalar, U+10FFFF.
        XCTAssertEqual(try decode(#"\udbff\udfff""#).get(), Array("\u{10FFFF}".utf8))
    }

    func testHalvesOfAPairAreRefusedAndSaySo() {
        let cases: [(String, JSONString.Failure.Kind, Int)] = [
            (#"\udc00""#, .loneLowSurrogate, 0),
            (#"ab\ud800""#, .loneHighSurrogate, 2),
            (#"\ud800x""#, .loneHighSurrogate, 0),
            (#"\ud800\n""#, .loneHighSurrogate, 0),
            // The low half's position: that is where the wrong escape is.
            (#"\ud800\u0041""#, .notALowSurrogate, 6),
            (#"\ud800\ud800""#, .notALowSurrogate, 6),
        ]
        for (text, kind, at) in cases {
            XCTAssertEqual(decode(text), .failure(JSONString.Failure(kind, at: at)), text)
            XCTAssertTrue(JSONString.Failure(kind, at: at).isHalfASurrogatePair)
        }
        // Bad digits in the low half are bad digits, not half a pair.
        XCTAssertEqual(decode(#"\ud800\u12""#), .failure(JSONString.Failure(.needsFourHexDigits, at: 6)))
        XCTAssertFalse(JSONString.Failure(.needsFourHexDigits, at: 6).isHalfASurrogatePair)
    }

    func testInvalidEscapesAreRefusedWhereTheyStand() {
        XCTAssertEqual(decode(#"ab\q""#), .failure(JSONString.Failure(.unknownEscape(0x71), at: 2)))
        XCTAssertEqual(decode(#"\u12""#), .failure(JSONString.Failure(.needsFourHexDigits, at: 0)))
        XCTAssertEqual(decode(#"\u12g4""#), .failure(JSONString.Failure(.needsFourHexDigits, at: 0)))
        XCTAssertEqual(decode(#"\U0041""#), .failure(JSONString.Failure(.unknownEscape(0x55), at: 0)))
        XCTAssertEqual(decode(#"\'""#), .failure(JSONString.Failure(.unknownEscape(0x27), at: 0)))
        // A backslash at the very end, and a string with no closing quote.
        XCTAssertEqual(decode(#"ab\"#), .failure(JSONString.Failure(.unclosed, at: 3)))
        XCTAssertEqual(decode(#"\nab"#), .failure(JSONString.Failure(.unclosed, at: 4)))
        XCTAssertEqual(JSONString.Failure(.unknownEscape(0x71), at: 0).message, "unknown escape '\\q' in a string")
    }

    func testRawControlCharactersRefusedOnlyWhenStrict() {
        let text = Array(#"\n"#.utf8) + [0x09, 0x01] + Array(#"x""#.utf8)
        XCTAssertEqual(decode(text), .failure(JSONString.Failure(.controlCharacter, at: 2)))
        XCTAssertEqual(try decode(text, strict: false).get(), [0x0A, 0x09, 0x01, 0x78])
    }

    func testWritesWhatJSONEncoderWrites() throws {
        let samples = ["", "plain", "川味 \"小馆\"", "a\\b/c", "\n\r\t\u{8}\u{c}", "\u{0}\u{1}\u{1f}\u{7f}", "😀 é",
                       String(decoding: (0..<0x80).map { UInt8($0) }, as: UTF8.self)]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        for s in samples {
            var out: [UInt8] = []
            JSONString.append(s, to: &out)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), String(decoding: try encoder.encode(s), as: UTF8.self))
            XCTAssertEqual(JSONString.quoted(s), String(decoding: out, as: UTF8.self))
        }
    }

    /// Every string written reads back as itself, through the strict reader.
    func testWrittenTextReadsBack() throws {
        let samples = ["", "x", "\"\\/", "\n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f}", "成都 𠀀 😀", String(repeating: "a\"", count: 100)]
        for s in samples {
            var out: [UInt8] = []
            JSONString.append(s, to: &out)
            XCTAssertEqual(out.first, 0x22)
            XCTAssertEqual(String(decoding: try decode(Array(out.dropFirst())).get(), as: UTF8.self), s)
            let decoded = try JSONDecoder().decode(String.self, from: Data(out))
            XCTAssertEqual(decoded, s)
        }
    }

    /// The vector and word-at-a-time scans say what a byte-by-byte one says: every byte value at
    /// every position of every length up to 40 (each lane of a vector and of a word, and the
    /// tail), and random
    /// buffers of UTF-8-like text with the odd byte that needs an escape.
    func testTheWordScanFindsWhatTheByteScanFinds() {
        func byByte(_ b: [UInt8]) -> Bool { b.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C } }
        var checked = 0
        for length in 1...40 {
            for position in 0..<length {
                for value in UInt8.min...UInt8.max {
                    var bytes = [UInt8](repeating: 0x41, count: length)
                    bytes[position] = value
                    let word = bytes.withUnsafeBufferPointer { JSONString.anyNeedsEscape($0) }
                    XCTAssertEqual(word, byByte(bytes), "length \(length), byte \(value) at \(position)")
                    checked += 1
                }
            }
        }
        var random = SplitMix(seed: 25)
        let common: [UInt8] = Array("成都市信用沙盒 abc{}:,0123456789".utf8) + [0x7F, 0x80, 0xFF, 0x21, 0x23, 0x5B, 0x5D]
        for _ in 0..<20_000 {
            var bytes = (0..<Int.random(in: 0...64, using: &random)).map { _ in common.randomElement(using: &random)! }
            if !bytes.isEmpty, Int.random(in: 0..<4, using: &random) == 0 {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = [0x00, 0x0A, 0x1F, 0x22, 0x5C].randomElement(using: &random)!
            }
            XCTAssertEqual(bytes.withUnsafeBufferPointer { JSONString.anyNeedsEscape($0) }, byByte(bytes), "\(bytes)")
            checked += 1
        }
        XCTAssertEqual([UInt8]().withUnsafeBufferPointer { JSONString.anyNeedsEscape($0) }, false)
        XCTAssertGreaterThan(checked, 200_000)
    }
}
