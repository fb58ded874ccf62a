import XCTest
@testable import SandboxPolicy

/// The per-merchant policy state is held for every merchant in a pass (issue 16): it stays at
/// 40 bytes, and every property reads back what was set, nil included.
final class MerchantPolicyStateTests: XCTestCase {
    func testItIsSmall() {
        XCTAssertLessThanOrEqual(MemoryLayout<MerchantPolicyState>.stride, 40)
    }

    func testEveryPropertyReadsBackWhatWasSet() {
        var s = MerchantPolicyState(riskClass: .c, points: 17, decisionHash: 0xfeed_f00d_dead_beef, classSince: 20_636,
                                    member: true, memberSince: 20_600, eligibleSince: 20_500, readmitAfterDays: 0,
                                    holdUntilDay: 20_700, source: "regulator", excludedByRegulator: true)
        XCTAssertEqual(s.riskClass, .c)
        XCTAssertEqual(s.points, 17)
        XCTAssertEqual(s.decisionHash, 0xfeed_f00d_dead_beef)
        XCTAssertEqual([s.classSince, s.memberSince, s.eligibleSince, s.readmitAfterDays, s.holdUntilDay],
                       [20_636, 20_600, 20_500, 0, 20_700])
        XCTAssertEqual(s.source, "regulator")
        XCTAssertTrue(s.member && s.excludedByRegulator && !s.applied)

        s.classSince = nil; s.memberSince = nil; s.eligibleSince = nil; s.readmitAfterDays = nil; s.holdUntilDay = nil
        XCTAssertEqual([s.classSince, s.memberSince, s.eligibleSince, s.readmitAfterDays, s.holdUntilDay], [nil, nil, nil, nil, nil])
        s.source = "agent"
        XCTAssertEqual(s.source, "agent")
        s.source = nil
        XCTAssertNil(s.source)
        XCTAssertEqual(MerchantPolicyState.initial, MerchantPolicyState())
        XCTAssertNotEqual(s, MerchantPolicyState.initial)
        // A negative day (before 1970) is a day like another.
        s.holdUntilDay = -5
        XCTAssertEqual(s.holdUntilDay, -5)
    }
}
