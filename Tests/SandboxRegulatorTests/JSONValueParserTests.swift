import Foundation
import XCTest
@testable import SandboxRegulator

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
            .object(["b": .int(2), "a": .string("川味 \"小馆\"\n\t\\/ \u{1} \u{7f} 😀"), "C": .null, "ä": .bool(true),
                     "list": .array([.int(-1), .double(2.5), .double(12345.5), .double(100), .object([:]), .array([])])]),
            .double(0.1), .double(-3.75), .double(1e-7), .string(""), .int(Int64.max),
        ]
        for v in values { XCTAssertEqual(v.jsonText, encoderText(v)) }
    }
}
