import Foundation
import XCTest
@testable import SandboxAgent

/// The rule pack's change signal between the directives thread (raises) and the pipeline's thread
/// (takes): a change raised on one thread is seen exactly once on the other.
final class PackChangeSignalTests: XCTestCase {
    func testTakingClearsTheSignal() {
        let signal = PackChangeSignal()
        XCTAssertFalse(signal.isRaised)
        XCTAssertFalse(signal.take())
        signal.raise()
        XCTAssertTrue(signal.isRaised)
        XCTAssertTrue(signal.isRaised, "looking does not take it")
        XCTAssertTrue(signal.take())
        XCTAssertFalse(signal.take())
        XCTAssertFalse(signal.isRaised)
    }

    /// One raise on a thread of its own; the taker polls on another thread before, during and long
    /// after it: exactly one `take()` answers true.
    func testAChangeRaisedOnOneThreadIsSeenOnceOnAnother() {
        for _ in 0..<200 {
            let signal = PackChangeSignal()
            let seen = LockedCount()
            let raised = DispatchSemaphore(value: 0)
            let taker = Thread {
                var raisedSeen = false
                // Keep polling until well after the raise has certainly happened.
                var afterRaise = 0
                while afterRaise < 1_000 {
                    if signal.take() { seen.add() }
                    if raisedSeen { afterRaise += 1 } else if raised.wait(timeout: .now()) == .success { raisedSeen = true }
                }
                seen.finish()
            }
            let raiser = Thread { signal.raise(); raised.signal() }
            taker.start()
            raiser.start()
            XCTAssertEqual(seen.waitForFinish(), 1)
        }
    }

    /// Many changes, each raised only after the previous one was taken: every one is seen, none twice.
    func testEveryChangeIsSeenOnceWhenTheyFollowEachOther() {
        let signal = PackChangeSignal()
        let changes = 2_000
        let taken = DispatchSemaphore(value: 0)
        let seen = LockedCount()
        Thread {
            for _ in 0..<changes {
                signal.raise()
                taken.wait()
            }
        }.start()
        Thread {
            var count = 0
            while count < changes {
                if signal.take() { count += 1; seen.add(); taken.signal() }
            }
            // The raiser is done: nothing is left to take.
            if signal.take() { seen.add() }
            seen.finish()
        }.start()
        XCTAssertEqual(seen.waitForFinish(), changes)
    }
}

/// A count shared by the test's threads.
private final class LockedCount: @unchecked Sendable {
    private let condition = NSCondition()
    private var count = 0, finished = false
    func add() { condition.lock(); count += 1; condition.unlock() }
    func finish() { condition.lock(); finished = true; condition.broadcast(); condition.unlock() }
    func waitForFinish() -> Int {
        condition.lock()
        defer { condition.unlock() }
        while !finished { condition.wait() }
        return count
    }
}
