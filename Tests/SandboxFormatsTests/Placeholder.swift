import XCTest
final class SandboxFormatsTestsPlaceholder: XCTestCase { func testBuilds() {} }
