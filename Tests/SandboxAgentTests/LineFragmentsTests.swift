import XCTest
import SandboxCore
@testable import SandboxPolicy
@testable import SandboxAgent

/// What a pass's lines share is rendered once (`LineFragments`): a fragment is found only by
/// the very bytes it was made of, so a line never takes another's texts.
final class LineFragmentsTests: XCTestCase {
    private func rendered(_ f: LineFragments, _ kind: LineFragments.Kind, _ texts: [String?], bits: UInt64 = 0) -> String {
        var j = JSONLine()
        j.add(f.members(kind, texts, bits: bits) { m in for (i, t) in texts.enumerated() { m.add(named: "t\(i)", t) } })
        return String(decoding: j.finished, as: UTF8.self)
    }

    func testAFragmentIsFoundByItsBytesAndBitsAlone() {
        let f = LineFragments()
        // Two spellings of é: equal as `String`s, different bytes, so different fragments.
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        XCTAssertEqual(composed, decomposed)
        let a = rendered(f, .ruleBody, [composed])
        let b = rendered(f, .ruleBody, [decomposed])
        XCTAssertNotEqual(Array(a.utf8), Array(b.utf8))
        XCTAssertEqual(Array(b.utf8), Array("{\"t0\":\"cafe\u{301}\"}".utf8))
        // Same lengths, other bytes; nil against empty; asked again after others (from the table,
        // not the kind's last); other bits.
        XCTAssertEqual(rendered(f, .ruleBody, ["AB", nil]), #"{"t0":"AB","t1":null}"#)
        XCTAssertEqual(rendered(f, .ruleBody, ["BA", nil]), #"{"t0":"BA","t1":null}"#)
        XCTAssertEqual(rendered(f, .ruleBody, ["BA", ""]), #"{"t0":"BA","t1":""}"#)
        XCTAssertEqual(rendered(f, .ruleBody, ["AB", nil]), #"{"t0":"AB","t1":null}"#)
        XCTAssertEqual(Array(rendered(f, .ruleBody, [composed]).utf8), Array(a.utf8))
        var calls = 0
        for bits: UInt64 in [1, 2, 1, 2] {
            _ = f.members(.admission, ["ADM-01"], bits: bits) { _ in calls += 1 }
        }
        XCTAssertEqual(calls, 2, "each bits once")
        // A long text from another storage with the same bytes is the same fragment.
        let long = String(repeating: "成都市市场监督管理局", count: 5)
        let copy = String(decoding: Array(long.utf8), as: UTF8.self)
        calls = 0
        for t in [long, copy, long] { _ = f.members(.head, [t]) { _ in calls += 1 } }
        XCTAssertEqual(calls, 1)
    }

    /// Found by the criteria's ids (and bits), compared where they lie: other ids are another
    /// fragment, the same ids in other strings the same one, and a kind asked by texts after its
    /// criteria (or the other way round) is not answered by what the other way found.
    func testCriteriaAreFoundByTheirIdsAndNotByAnotherWaysLast() {
        func c(_ id: String) -> RosterDecision.Criterion { RosterDecision.Criterion(id: id, text: "", value: true, holds: true) }
        let f = LineFragments()
        var calls = 0
        func ask(_ ids: [String], bits: UInt64 = 7) -> String {
            var j = JSONLine()
            j.add(f.members(.admission, criteria: ids.map(c), bits: bits) { m in calls += 1; m.add("ids", strings: ids) })
            return String(decoding: j.finished, as: UTF8.self)
        }
        XCTAssertEqual(ask(["ADM-01", "ADM-02"]), #"{"ids":["ADM-01","ADM-02"]}"#)
        XCTAssertEqual(ask(["ADM-01", "ADM-03"]), #"{"ids":["ADM-01","ADM-03"]}"#)
        XCTAssertEqual(ask(["ADM-01"]), #"{"ids":["ADM-01"]}"#)
        XCTAssertEqual(calls, 3)
        // The same ids in strings of their own, again and again: rendered once.
        let long = String(repeating: "准入条件", count: 6)
        for _ in 0..<3 { _ = ask([String(decoding: Array(long.utf8), as: UTF8.self)]) }
        XCTAssertEqual(calls, 4)
        // The kind asked by texts: its last was found by ids, and the texts' fragment is its own.
        XCTAssertEqual(rendered(f, .admission, ["ADM-01"]), #"{"t0":"ADM-01"}"#)
        XCTAssertEqual(rendered(f, .admission, ["ADM-01", nil]), #"{"t0":"ADM-01","t1":null}"#)
        XCTAssertEqual(ask(["ADM-01"]), #"{"ids":["ADM-01"]}"#)
        XCTAssertEqual(ask([long]), #"{"ids":["\#(long)"]}"#)
        XCTAssertEqual(calls, 4, "from the table")
        XCTAssertEqual(ask(["ADM-01"], bits: 8), #"{"ids":["ADM-01"]}"#)
        XCTAssertEqual(calls, 5, "other bits")
    }

    /// A criterion's value and holding are each part of the key, in the criteria's order.
    func testCriteriaBitsTellEveryValueAndHoldingApart() {
        func c(_ id: String, _ value: Bool?, _ holds: Bool) -> RosterDecision.Criterion {
            RosterDecision.Criterion(id: id, text: "", value: value, holds: holds)
        }
        var seen: [UInt64: String] = [:]
        for v1 in [nil, true, false] as [Bool?] {
            for h1 in [true, false] {
                for v2 in [nil, true, false] as [Bool?] {
                    for h2 in [true, false] {
                        let bits = PolicyLines.bits([c("A", v1, h1), c("B", v2, h2)])!
                        let name = "\(String(describing: v1))\(h1)\(String(describing: v2))\(h2)"
                        XCTAssertNil(seen[bits], "\(name) and \(seen[bits] ?? "") share bits")
                        seen[bits] = name
                    }
                }
            }
        }
        XCTAssertNil(PolicyLines.bits(Array(repeating: c("A", true, true), count: 22)), "more than a key holds")
    }

    /// An instruction's kind is the text between its id's last two dashes, as splitting it said.
    func testTheKindOfAnInstructionIsWhatSplittingItsIdSays() {
        let ids = ["taobao-cd-suspend-00000311", "bench-guidance-00000001", "a-b", "plain", "-lead-1", "a--b-1", "end-",
                   "a-b-", "--", "-", "", "x-成都-1", "p-q-r-s"]
        for id in ids {
            let parts = id.split(separator: "-")
            let expected = parts.count >= 2 ? String(parts[parts.count - 2]) : id
            XCTAssertEqual(PolicyLines.kind(of: id), expected, id)
        }
    }

    /// The memos of the last instant and day give what formatting them gives.
    func testStampsAndDaysAreTheirFormatting() {
        let f = LineFragments()
        for at: Int64 in [1_782_835_200, 1_782_835_200, 0, 1_782_835_201, 1_782_835_200] {
            XCTAssertEqual(f.stamp(at), UTCTime.rfc3339(at))
        }
        for day in [20_635, 20_635, 0, 20_636, nil, 20_635] as [Int?] {
            XCTAssertEqual(f.day(day), PolicyLines.day(day))
        }
    }
}
