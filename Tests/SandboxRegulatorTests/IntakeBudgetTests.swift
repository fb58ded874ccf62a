import XCTest
@testable import SandboxRegulator

/// Issue 17 item 5: what feed and receipts requests hold is bounded in total, not only each.
final class IntakeBudgetTests: XCTestCase {
    func testSharesAreTakenWhileTheyFitAndGivenBackWhenTheRequestEnds() throws {
        let budget = IntakeBudget(capacity: 100)
        var first: IntakeReservation? = IntakeReservation(budget: budget)
        try first!.grow(by: 60)
        let second = IntakeReservation(budget: budget)
        try second.grow(by: 30)
        XCTAssertEqual(budget.inUse, 90)
        XCTAssertThrowsError(try second.grow(by: 20)) { XCTAssertEqual($0 as? IntakeRefusal, .busy) }
        XCTAssertEqual(second.held, 30, "a refused growth takes nothing")
        XCTAssertEqual(budget.inUse, 90)
        first = nil  // a request that ends however it ends (an error thrown, a dropped connection) gives its share back
        XCTAssertEqual(budget.inUse, 30)
        try second.grow(by: 70)
        XCTAssertEqual(budget.inUse, 100)
        second.release()
        XCTAssertEqual(budget.inUse, 0)
        second.release()
        XCTAssertEqual(budget.inUse, 0, "releasing twice gives back nothing more")
    }

    /// More than the whole budget is never busy but too large: waiting would not help (413, not 429).
    func testAShareLargerThanTheWholeBudgetIsTooLargeNotBusy() throws {
        let budget = IntakeBudget(capacity: 100)
        let other = IntakeReservation(budget: budget)
        try other.grow(by: 50)
        let share = IntakeReservation(budget: budget)
        try share.grow(by: 40)
        XCTAssertThrowsError(try share.grow(by: 61)) { XCTAssertEqual($0 as? IntakeRefusal, .tooLarge(capacity: 100)) }
        XCTAssertThrowsError(try share.grow(by: .max)) { XCTAssertEqual($0 as? IntakeRefusal, .tooLarge(capacity: 100)) }
        XCTAssertThrowsError(try share.grow(by: 20)) { XCTAssertEqual($0 as? IntakeRefusal, .busy) }
        XCTAssertEqual(budget.inUse, 90)
    }

    /// Many requests at once on many threads never hold more than the budget between them.
    func testConcurrentSharesNeverExceedTheBudget() {
        let budget = IntakeBudget(capacity: 1_000)
        let peak = Peak()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<2_000 {
                let share = IntakeReservation(budget: budget)
                for _ in 0..<5 {
                    guard (try? share.grow(by: 70)) != nil else { break }
                    peak.note(budget.inUse)
                }
            }
        }
        XCTAssertLessThanOrEqual(peak.value, 1_000)
        XCTAssertEqual(budget.inUse, 0)
    }
}

private final class Peak: @unchecked Sendable {
    private let lock = NSLock()
    private var highest = 0
    func note(_ v: Int) { lock.withLock { highest = max(highest, v) } }
    var value: Int { lock.withLock { highest } }
}
