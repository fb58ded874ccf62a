import Foundation
import SandboxWire
import XCTest

/// The byte-level parser reads what Foundation's JSONDecoder read, and refuses what it refused.
final class JSONValueParserTests: XCTestCase {
    func reference(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    func testSameValuesAsJSONDecoder() {
        let samples = [
            #"{"type":"merchant","platform_id":"p","key":"m-1","content_hash":"12","data":{"shop_name":"川味 \"小馆\"","n":3,"x":-2.5,"ok":true,"none":null,"list":[1,"a",{"b":[]}]}}"#,
            #"  [ 1 , 2.0e3 , -0 , 9223372036854775807 , 9223372036854775808 , 1e-7 ]  "#,
            #"{"esc":"\\ \/ \b \f \n \r \t \u0041 \u4e2d \ud83d\ude00","empty":"","obj":{}}"#,
            #""plain""#, "true", "false", "null", "0", "-12", "3.25", "1.0", "-0.0", "1.5e300", "12345.5",
        ]
        for s in samples {
            XCTAssertEqual(JSONValue.parse(Array(s.utf8)), reference(s), s)
            XCTAssertNotNil(JSONValue.parse(Array(s.utf8)), s)
        }
    }

    /// The same value whatever holds the bytes: an array, a string's UTF-8 in place, bytes in a
    /// buffer, or a collection with no contiguous storage (copied first).
    func testEveryWayInReadsTheSame() {
        for s in [#"{"a":[1,"中",null],"b":{"c":true}}"#, "  -12.5 ", "[1,]", ""] {
            let expected = JSONValue.parse(Array(s.utf8))
            XCTAssertEqual(JSONValueParser.parse(s.utf8), expected, s)
            XCTAssertEqual(Array(s.utf8).withUnsafeBufferPointer { JSONValueParser.parse($0) }, expected, s)
            XCTAssertEqual(JSONValueParser.parse(s.utf8.lazy.map { $0 }), expected, s)
        }
    }

    /// A string's bytes must be UTF-8, with or without escapes in it: a truncated sequence whose
    /// replacement is as long as itself, an overlong form, an encoded surrogate, a byte above F4.
    func testRefusesStringsThatAreNotUTF8() {
        let invalid: [[UInt8]] = [[0xF0, 0x90, 0x80], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF5, 0x80, 0x80, 0x80], [0x80],
                                  [0xE4, 0xB8]]
        for bytes in invalid {
            XCTAssertNil(JSONValue.parse([0x22, 0x61] + bytes + [0x62, 0x22]), "\(bytes)")
            XCTAssertNil(JSONValue.parse([0x22, 0x5C, 0x6E] + bytes + [0x22]), "escaped: \(bytes)")
            XCTAssertNil(JSONValue.parse([0x7B, 0x22] + bytes + [0x22, 0x3A, 0x31, 0x7D]), "as a key: \(bytes)")
        }
        XCTAssertEqual(JSONValue.parse(Array("\"中\\n😀\"".utf8)), .string("中\n😀"))
        XCTAssertEqual(JSONValue.parse(Array("\"\"".utf8)), .string(""))
    }

    func testRefusesWhatIsNotJSON() {
        let bad = ["", "{", "}", "{\"a\":}", "{\"a\" 1}", "{\"a\":1,}", "[1,]", "[1 2]", "01", "1.", ".5", "1e",
                   "tru", "nul", "\"abc", "\"a\\x\"", "\"\\u12\"", "\"\\udc00\"", "\"\\ud800x\"", "{a:1}", "1 2",
                   "\"tab\tin string\"", "NaN", "-", "+1"]
        for s in bad {
            XCTAssertNil(JSONValue.parse(Array(s.utf8)), "accepted: \(s)")
        }
        // Invalid UTF-8 inside a string.
        XCTAssertNil(JSONValue.parse([0x22, 0xFF, 0xFE, 0x22]))
    }

    /// Half a surrogate pair is the one refusal named to the platform (`loneSurrogateReason`), in
    /// `data` (stepped over, kept raw) as in the other members (built); bad hex digits are not.
    func testHalfASurrogatePairIsNamed() {
        for (text, half) in [(#"{"data":{"s":"\ud800"}}"#, true), (#"{"key":"\udc00","data":{}}"#, true),
                             (#"{"data":{"s":"\ud800\u0041"}}"#, true), (#"{"key":"a\ud83dx","data":{}}"#, true),
                             (#"{"data":{"s":"\ud800\u12"}}"#, false), (#"{"key":"\q","data":{}}"#, false)] {
            var lone = false
            XCTAssertNil(JSONValueParser.parseObject(ArraySlice(Array(text.utf8)), rawKey: "data", loneSurrogate: &lone), text)
            XCTAssertEqual(lone, half, text)
        }
        var lone = true
        XCTAssertNotNil(JSONValueParser.parseObject(ArraySlice(Array(#"{"key":"\ud83d\ude00","data":{"s":"\ud83d\ude00"}}"#.utf8)),
                                                    rawKey: "data", loneSurrogate: &lone))
        XCTAssertFalse(lone)
    }

    func testDeepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        XCTAssertNil(JSONValue.parse(Array(deep.utf8)))
        let ok = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        XCTAssertNotNil(JSONValue.parse(Array(ok.utf8)))
    }
}

/// The hand-written `jsonText` writes what JSONEncoder (.sortedKeys, .withoutEscapingSlashes) wrote.
final class JSONValueTextTests: XCTestCase {
    func encoderText(_ v: JSONValue) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! e.encode(v), as: UTF8.self)
    }

    func testSameTextAsJSONEncoder() {
        let values: [JSONValue] = [
            .object(["b": .int(2), "a": .string("川味 \"小馆\"\n\t\\/ \u{1} \u{7f} \u{8}\u{c} 😀"), "C": .null, "ä": .bool(true),
                     "list": .array([.int(-1), .double(2.5), .double(12345.5), .double(100), .object([:]), .array([])])]),
            .double(0.1), .double(-3.75), .double(1e-7), .string(""), .int(Int64.max),
        ]
        for v in values { XCTAssertEqual(v.jsonText, encoderText(v)) }
    }

    /// A feed line's `data` is validated with the full grammar but kept byte for byte.
    func testRawMemberIsKeptAsSentAndValidatedLikeTheFullParser() throws {
        let data = #"{"shop_name":"川味 \"小馆\"","n":3,"list":[1,"a",{"b":[]}],"esc":"\u4e2d"}"#
        let line = #"{"type":"merchant","key":"m-1","data":"# + data + #","content_hash":"12"}"#
        let (fields, raw) = try XCTUnwrap(JSONValueParser.parseObject(ArraySlice(Array(line.utf8)), rawKey: "data"))
        XCTAssertEqual(raw.map { String(decoding: $0, as: UTF8.self) }, data)
        XCTAssertEqual(fields["type"], .string("merchant"))
        XCTAssertEqual(fields["content_hash"], .string("12"))
        XCTAssertNil(fields["data"])
        XCTAssertEqual(JSONValue.parse(Array(raw!)), try? JSONDecoder().decode(JSONValue.self, from: Data(data.utf8)))

        // Whatever the full parser refuses inside `data`, the raw path refuses too.
        let bad = ["{", "{\"a\":}", "[1,]", "01", "\"a\\x\"", "\"\\u12\"", "\"tab\tin\"", "tru", "NaN", "{a:1}"]
        for b in bad {
            let text = #"{"type":"merchant","data":"# + b + "}"
            XCTAssertNil(JSONValueParser.parseObject(ArraySlice(Array(text.utf8)), rawKey: "data"), "accepted: \(b)")
        }
        for utf8 in [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE4, 0xB8], [0xF4, 0x90, 0x80, 0x80]] as [[UInt8]] {
            let text = Array(#"{"data":{"s":""#.utf8) + utf8 + Array(#""}}"#.utf8)
            XCTAssertNil(JSONValueParser.parseObject(ArraySlice(text), rawKey: "data"), "accepted bytes \(utf8)")
        }
        let deep = #"{"data":"# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        XCTAssertNil(JSONValueParser.parseObject(ArraySlice(Array(deep.utf8)), rawKey: "data"))
        XCTAssertNotNil(JSONValueParser.parseObject(ArraySlice(Array("{}".utf8)), rawKey: "data"))
        XCTAssertNil(JSONValueParser.parseObject(ArraySlice(Array("[1]".utf8)), rawKey: "data"))
    }
}
