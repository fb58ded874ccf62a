import XCTest
@testable import SandboxCore

/// `ComparableText` folds over UTF-8 bytes: its keys must be the folding's, scalar for scalar, and
/// `differ`, which walks both texts' folded scalars before it builds keys, must answer as comparing
/// the keys does, for every sort of scalar folding keeps, drops or changes.
final class ComparableTextTests: XCTestCase {
    /// The folding as the type's comment states it, scalar by scalar.
    private func referenceKey(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            var v = s.value
            if v == 0x3000 || v == 0x20 || (v >= 0x09 && v <= 0x0D) || v == 0xA0 { continue }
            if v >= 0xFF01 && v <= 0xFF5E { v -= 0xFEE0 }
            if v >= 0x61 && v <= 0x7A { v -= 32 }
            out.append(Unicode.Scalar(v)!)
        }
        return String(out)
    }

    /// Pieces of one to four UTF-8 bytes: ASCII letters either case, full-width forms, each space
    /// folding drops, CJK, a two-byte letter, a combining accent and a four-byte scalar.
    private let pieces = ["a", "A", "ａ", "Ａ", "1", "１", "(", "（", " ", "\u{3000}", "\t", "\u{A0}", "\r\n",
                          "成", "都", "é", "É", "e\u{301}", "𠀀", "z", "Z", "~", "～"]

    func testAnswersAsTheKeysCompare() {
        // Every text of up to two pieces against every other (306,000 pairs), and each text of
        // three against a stride of the others.
        var short = [""]
        for p in pieces { short.append(p) }
        for p in pieces { for q in pieces { short.append(p + q) } }
        var long: [String] = []
        for p in pieces { for q in pieces { for r in pieces.prefix(8) { long.append(p + q + r) } } }
        var compared = 0, equalAfterFolding = 0
        for text in short + long {
            XCTAssertEqual(Array(ComparableText.key(text).unicodeScalars), Array(referenceKey(text).unicodeScalars),
                           "\(Array(text.unicodeScalars))")
        }
        func check(_ a: String, _ b: String) {
            let expected = referenceKey(a) != referenceKey(b)
            XCTAssertEqual(ComparableText.differ(a, b), expected, "\(Array(a.unicodeScalars)) against \(Array(b.unicodeScalars))")
            compared += 1
            if !expected && a != b { equalAfterFolding += 1 }
        }
        for a in short { for b in short { check(a, b) } }
        for (i, a) in long.enumerated() { for j in stride(from: i % 97, to: long.count, by: 97) { check(a, long[j]) } }
        XCTAssertGreaterThan(compared, 450_000)
        XCTAssertGreaterThan(equalAfterFolding, 1_000, "pairs that differ only in what folding changes")
    }

    func testNamedCases() {
        XCTAssertFalse(ComparableText.differ("成都某某（食品）有限公司", "成都某某(食品)有限公司"))
        XCTAssertFalse(ComparableText.differ("ａｂｃ　1", "ABC1"))
        XCTAssertFalse(ComparableText.differ("四川省 成都市\t武侯区", "四川省成都市武侯区"))
        XCTAssertFalse(ComparableText.differ("CAFÉ", "cafe\u{301}"), "canonically equivalent once folded, as String compares")
        XCTAssertTrue(ComparableText.differ("成都某某食品有限公司", "成都某某食品有限责任公司"))
        XCTAssertTrue(ComparableText.differ("𠀀a", "𠀁a"))
        XCTAssertTrue(ComparableText.differ("abc", "abcd"))
        XCTAssertTrue(ComparableText.differ("abc ", "abc d"))
        XCTAssertFalse(ComparableText.differ(nil, "a"), "absent data never mismatches")
        XCTAssertFalse(ComparableText.differ("a", nil))
    }
}
