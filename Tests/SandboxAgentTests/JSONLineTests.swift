import Foundation
import XCTest
@testable import SandboxAgent

/// `JSONLine` keeps its object closed as members go in, and hands out the bytes themselves.
final class JSONLineTests: XCTestCase {
    func testAnObjectWithNoMemberIsEmptyBraces() {
        var line = JSONLine()
        XCTAssertEqual(String(decoding: line.finished, as: UTF8.self), "{}")
    }

    func testEveryKindOfMemberReadsBackAsJSON() throws {
        var inner = JSONLine()
        inner.add("field", "registry.name")
        inner.add("found", nil as String?)
        var j = JSONLine()
        j.add("text", "成都 \"quoted\" \\ back\nslash\t")
        j.add("none", nil as String?)
        j.add("count", 469_000)
        j.add("negative", -3 as Int64?)
        j.add("holds", true)
        j.add("raw", raw: Array("[1,2]".utf8))
        j.add("objects", objects: [inner, JSONLine()])
        j.add("strings", strings: ["a", "b\"c"])
        let first = j.finished
        XCTAssertEqual(first.first, 0x7b)
        XCTAssertEqual(first.last, 0x7d)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(first)) as? [String: Any])
        XCTAssertEqual(object["text"] as? String, "成都 \"quoted\" \\ back\nslash\t")
        XCTAssertTrue(object["none"] is NSNull)
        XCTAssertEqual(object["count"] as? Int, 469_000)
        XCTAssertEqual(object["negative"] as? Int, -3)
        XCTAssertEqual(object["holds"] as? Bool, true)
        XCTAssertEqual(object["raw"] as? [Int], [1, 2])
        let objects = try XCTUnwrap(object["objects"] as? [[String: Any]])
        XCTAssertEqual(objects.count, 2)
        XCTAssertEqual(objects[0]["field"] as? String, "registry.name")
        XCTAssertTrue(objects[0]["found"] is NSNull)
        XCTAssertTrue(objects[1].isEmpty)
        XCTAssertEqual(object["strings"] as? [String], ["a", "b\"c"])
        // The order the members went in, and a member added after `finished` does not change
        // what was handed out.
        XCTAssertEqual(String(decoding: first, as: UTF8.self).prefix(8), "{\"text\":")
        j.add("later", 1)
        XCTAssertEqual(j.finished.count, first.count + ",\"later\":1".utf8.count)
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(first)))
    }

    /// Numbers are written digit by digit (not through a `String`): the edges of every width and
    /// sign read back as the same numbers, and a key known only at run time is escaped.
    func testNumbersAtTheirEdgesAndKeysNamedAtRunTime() throws {
        var j = JSONLine(reserving: 8)
        j.add("zero", 0)
        j.add("nine", 9 as UInt8?)
        j.add("ten", 10 as Int16?)
        j.add("minus_one", -1 as Int?)
        j.add("int64_min", Int64.min)
        j.add("int64_max", Int64.max)
        j.add("uint64_max", UInt64.max)
        j.add("none", nil as Int?)
        j.add(named: "成都 \"key\"", 7)
        j.add(named: "text\n", "v")
        let text = String(decoding: j.finished, as: UTF8.self)
        XCTAssertEqual(text, #"{"zero":0,"nine":9,"ten":10,"minus_one":-1,"int64_min":-9223372036854775808,"#
            + #""int64_max":9223372036854775807,"uint64_max":18446744073709551615,"none":null,"成都 \"key\"":7,"#
            + #""text\n":"v"}"#)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(j.finished)) as? [String: Any])
        XCTAssertEqual(object["成都 \"key\""] as? Int, 7)
        XCTAssertEqual(object["text\n"] as? String, "v")
        for n in [0, 1, 9, 10, 99, 100, 469_000, -5, -10, -469_000] {
            var line = JSONLine()
            line.add("n", n)
            XCTAssertEqual(String(decoding: line.finished, as: UTF8.self), "{\"n\":\(n)}")
        }
    }

    /// Members written in place give the bytes that members built apart and copied in give:
    /// nested objects, arrays of objects (empty, one, several, each empty or not), members after them.
    func testMembersWrittenInPlaceAreTheMembersBuiltApart() throws {
        let lists: [[(String, Int?)]] = [[], [("a", 1)], [("b", nil), ("c", 3)], [("", 0)]]
        for list in lists {
            var apart = JSONLine()
            apart.add("head", "成都\"")
            var inner = JSONLine()
            inner.add("n", list.count)
            var deeper = JSONLine()
            for (k, v) in list { deeper.add(named: k, v) }
            inner.add("deeper", raw: deeper.finished)
            apart.add("object", raw: inner.finished)
            apart.add("list", objects: list.map { k, v in
                var o = JSONLine()
                if !k.isEmpty { o.add("k", k) }
                o.add("v", v)
                return o
            })
            var none = JSONLine()
            apart.add("empty", raw: none.finished)
            apart.add("tail", true)

            var inPlace = JSONLine()
            inPlace.add("head", "成都\"")
            inPlace.add("object") { inner in
                inner.add("n", list.count)
                inner.add("deeper") { deeper in for (k, v) in list { deeper.add(named: k, v) } }
            }
            inPlace.add("list", each: list) { o, e in
                if !e.0.isEmpty { o.add("k", e.0) }
                o.add("v", e.1)
            }
            inPlace.add("empty") { _ in }
            inPlace.add("tail", true)
            XCTAssertEqual(String(decoding: inPlace.finished, as: UTF8.self), String(decoding: apart.finished, as: UTF8.self))
            XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(inPlace.finished)))
        }
    }

    /// Members rendered once and spliced in are the bytes their own `add`s write, wherever they
    /// go: first, between members, last, into an object with nothing else, and empty.
    func testSplicedMembersAreTheMembersWrittenOneByOne() {
        let run = JSONMembers { f in
            f.add("type", "sandbox")
            f.add("basis", "《优化营商环境条例》第五十五条 \"quoted\"")
            f.add("none", nil as String?)
        }
        func plain(_ j: inout JSONLine) {
            j.add("type", "sandbox")
            j.add("basis", "《优化营商环境条例》第五十五条 \"quoted\"")
            j.add("none", nil as String?)
        }
        for position in 0..<4 {
            var spliced = JSONLine(), written = JSONLine()
            if position > 0 { spliced.add("id", 1); written.add("id", 1) }
            spliced.add(run)
            plain(&written)
            spliced.add(JSONMembers { _ in })
            if position > 1 { spliced.add("after", "x"); written.add("after", "x") }
            if position > 2 { spliced.add(run); plain(&written) }
            XCTAssertEqual(String(decoding: spliced.finished, as: UTF8.self), String(decoding: written.finished, as: UTF8.self),
                           "position \(position)")
        }
        var empty = JSONLine()
        empty.add(JSONMembers { _ in })
        XCTAssertEqual(String(decoding: empty.finished, as: UTF8.self), "{}")
    }

    /// Members are written in place, into room the line makes as it goes: lines of every size from
    /// every starting room (one byte to more than the line) read back as the members that went in,
    /// values long and short, with and without escapes, nested, after `finished` and in a copy.
    func testLinesOfEverySizeFromEveryRoomReadBack() throws {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["", "a", "成都", "ab\"c", "tab\there", String(repeating: "x", count: 31), String(repeating: "字", count: 11)]
        for reserving in [1, 2, 3, 8, 31, 64, 300, 512, 4_100] {
            for round in 0..<40 {
                var j = JSONLine(reserving: reserving)
                var expected: [String: Any] = [:]
                for m in 0..<Int.random(in: 0...12, using: &generator) {
                    let key = "k\(m)"
                    var text = ""
                    for _ in 0..<Int.random(in: 0...4, using: &generator) { text += pieces.randomElement(using: &generator)! }
                    if round % 7 == 0 && m == 0 { text += String(repeating: "y", count: 5_000 + reserving) }
                    switch Int.random(in: 0..<5, using: &generator) {
                    case 0: j.add(named: key, text); expected[key] = text
                    case 1: j.add(named: key, text.utf8.count); expected[key] = text.utf8.count
                    case 2:
                        j.add(named: key, nil as String?)
                        expected[key] = NSNull()
                    case 3:
                        j.add(named: key, -text.utf8.count); expected[key] = -text.utf8.count
                    default:
                        j.add(named: key, text); expected[key] = text
                    }
                }
                j.add("nested") { n in
                    n.add("text", pieces[round % pieces.count])
                    n.add("list", each: 0..<(round % 3)) { o, i in o.add("i", i) }
                }
                expected["nested"] = ["text": pieces[round % pieces.count], "list": (0..<(round % 3)).map { ["i": $0] }]
                let first = j.finished
                let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(first)) as? NSDictionary)
                XCTAssertEqual(object, expected as NSDictionary, "room \(reserving), round \(round)")
                // A copy goes its own way; the first line keeps what it had.
                var copy = j
                copy.add("copy", true)
                j.add("after", String(repeating: "z", count: reserving))
                XCTAssertEqual(try JSONSerialization.jsonObject(with: Data(copy.finished)) as? NSDictionary,
                               expected.merging(["copy": true]) { a, _ in a } as NSDictionary)
                XCTAssertEqual(try JSONSerialization.jsonObject(with: Data(j.finished)) as? NSDictionary,
                               expected.merging(["after": String(repeating: "z", count: reserving)]) { a, _ in a } as NSDictionary)
                XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(first)))
            }
        }
    }

    /// Objects appended one after another keep the room after them for the next
    /// (`append(to:end:_:)`): the bytes up to `end` are the objects, as one append each gives.
    func testObjectsAppendedWithTheirRoomKeptAreTheObjectsAppendedOneByOne() {
        var kept: [UInt8] = [], end = 0
        var cut: [UInt8] = []
        kept.reserveCapacity(64)
        var ranges: [Range<Int>] = []
        for i in 0..<300 {
            let text = String(repeating: "事", count: i % 97) + (i % 5 == 0 ? "\"" : "")
            let start = end
            JSONLine.append(to: &kept, end: &end) { j in
                j.add("i", i)
                j.add("text", text)
            }
            ranges.append(start..<end)
            JSONLine.append(to: &cut) { j in
                j.add("i", i)
                j.add("text", text)
            }
            XCTAssertEqual(Array(kept[..<end]), cut, "object \(i)")
        }
        XCTAssertGreaterThanOrEqual(kept.count, end)
        var line = JSONLine()
        line.add("i", 7)
        line.add("text", String(repeating: "事", count: 7))
        XCTAssertEqual(Array(kept[ranges[7]]), line.finished)
    }
}
