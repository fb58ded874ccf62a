import XCTest
final class SandboxCoreTestsPlaceholder: XCTestCase { func testBuilds() {} }
