@testable import SandboxAgent
import XCTest

/// The Bloom filter behind the pipeline's "changed earlier in this file" and the feed queue's
/// coalescing: never a false "not seen", and false "maybe seen" as rare as its comment says.
final class SeenFilterTests: XCTestCase {
    /// Inserts `count` keys into a filter of 2^`log2Bits` bits; returns the share of 100,000
    /// other keys it answers "maybe seen" for, after checking every inserted key is seen.
    private func falsePositives(keys count: Int, log2Bits: Int) -> Double {
        var filter = SeenFilter(log2Bits: log2Bits)
        for i in 0..<count { filter.insert("m\(i)") }
        for i in 0..<count where !filter.mayContain("m\(i)") { XCTFail("m\(i) inserted, not seen"); break }
        let others = 100_000
        let hits = (0..<others).filter { filter.mayContain("other-\($0)") }.count
        return Double(hits) / Double(others)
    }

    /// The filter's load at 469,000 ids in 4 MiB, and at 1.9 million (the 4× file), at a
    /// sixty-fourth of the size so the test stays quick.
    func testFalsePositivesStayAsRareAsDocumented() {
        let atOneTimes = falsePositives(keys: 469_000 / 64, log2Bits: 19)
        XCTAssertLessThan(atOneTimes, 0.001, "documented: about 0.04 %")
        let atFourTimes = falsePositives(keys: 1_876_000 / 64, log2Bits: 19)
        XCTAssertLessThan(atFourTimes, 0.012, "documented: about 0.6 %")
        XCTAssertGreaterThan(atFourTimes, atOneTimes)
        print("seen filter: false positives \(atOneTimes * 100) % at 469,000 ids in 4 MiB, \(atFourTimes * 100) % at 1,876,000")
    }

    func testInsertSaysWhetherTheKeyMayHaveBeenThere() {
        var filter = SeenFilter(log2Bits: 20)
        XCTAssertFalse(filter.insert("a"))
        XCTAssertTrue(filter.insert("a"))
        XCTAssertTrue(filter.mayContain("a"))
        XCTAssertFalse(filter.mayContain("b"))
        filter.removeAll()
        XCTAssertFalse(filter.mayContain("a"))
        XCTAssertFalse(filter.insert("a"))
    }
}
