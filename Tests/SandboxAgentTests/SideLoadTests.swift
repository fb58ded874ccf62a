import Glibc
import XCTest
@testable import SandboxAgent

/// A part of a pass's load made on a thread of its own (`SideLoad`): its value comes back, made on
/// another thread than the caller's; what it threw is thrown by `wait()`.
final class SideLoadTests: XCTestCase {
    struct Refused: Error, Equatable {}

    func testTheValueIsMadeOnItsOwnThreadAndHandedBack() throws {
        let caller = pthread_self()
        let load = SideLoad("test-side") { () -> (Int, pthread_t) in (42, pthread_self()) }
        let (value, thread) = try load.wait()
        XCTAssertEqual(value, 42)
        XCTAssertEqual(pthread_equal(thread, caller), 0, "made on another thread")
    }

    func testWhatItThrewIsThrownByWait() {
        let load = SideLoad("test-side") { () throws -> Int in throw Refused() }
        XCTAssertThrowsError(try load.wait()) { XCTAssertEqual($0 as? Refused, Refused()) }
    }
}
