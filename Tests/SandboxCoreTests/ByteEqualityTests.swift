import XCTest
@testable import SandboxCore

/// `FieldText.equal` and `precedes` compare eight bytes a step: every length around the word's
/// size, a difference at every position (in the words and in the tail), and the strings' own
/// equality.
final class ByteEqualityTests: XCTestCase {
    func testEveryLengthAndEveryPositionOfADifference() {
        for n in 0...41 {
            let a = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            a.withUnsafeBufferPointer { pa in
                Array(a).withUnsafeBufferPointer { XCTAssertTrue(FieldText.equal(pa, $0), "length \(n)") }
                for i in 0..<n {
                    var b = a
                    b[i] ^= 0x80
                    b.withUnsafeBufferPointer { XCTAssertFalse(FieldText.equal(pa, $0), "length \(n), byte \(i)") }
                }
                (a + [0]).withUnsafeBufferPointer { XCTAssertFalse(FieldText.equal(pa, $0), "length \(n) against \(n + 1)") }
            }
        }
    }

    /// `FieldText.precedes` against the standard library's byte order: every pair of lengths to
    /// 19, equal, one a prefix of the other, and a higher or lower byte at every position (the
    /// words are read big-endian; a byte above 0x7F must not compare as negative).
    func testByteOrderAtEveryLengthAndPosition() {
        func check(_ a: [UInt8], _ b: [UInt8]) {
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    XCTAssertEqual(FieldText.precedes(pa, pb), a.lexicographicallyPrecedes(b), "\(a) against \(b)")
                    XCTAssertEqual(FieldText.precedes(pb, pa), b.lexicographicallyPrecedes(a), "\(b) against \(a)")
                }
            }
        }
        for n in 0...19 {
            let a = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            for m in 0...19 { check(a, Array((a + a + a).prefix(m))) }
            for i in 0..<n {
                for delta: UInt8 in [1, 0x80] {
                    var b = a
                    b[i] &+= delta
                    check(a, b)
                }
            }
        }
    }

    func testStringsAreComparedByTheirBytes() {
        XCTAssertTrue(FieldText.sameBytes("成都某某（食品）有限公司", "成都某某（食品）有限公司"))
        XCTAssertFalse(FieldText.sameBytes("成都某某（食品）有限公司", "成都某某(食品)有限公司"))
        XCTAssertFalse(FieldText.sameBytes("é", "e\u{301}"), "canonically equivalent, other bytes")
        XCTAssertTrue(FieldText.sameBytes("", ""))
        XCTAssertTrue(FieldText.bytesEqual("企业", Array("企业".utf8)))
        XCTAssertFalse(FieldText.bytesEqual("企业", Array("企亚".utf8)))
    }
}
