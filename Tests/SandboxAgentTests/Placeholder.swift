import XCTest
final class SandboxAgentTestsPlaceholder: XCTestCase { func testBuilds() {} }
