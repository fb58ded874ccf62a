import XCTest
@testable import SandboxPack

final class PlaceholderTests: XCTestCase {
    func testModuleLinks() {}
}
