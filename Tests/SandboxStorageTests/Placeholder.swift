import XCTest
final class SandboxStorageTestsPlaceholder: XCTestCase { func testBuilds() {} }
