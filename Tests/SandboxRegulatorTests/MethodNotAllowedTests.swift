import Hummingbird

import XCTest
@testable import SandboxRegulator

/// A method the document does not declare on a path it does is 405 with `Allow`, not 404.
final class MethodNotAllowedTests: XCTestCase {
    typealias F = RegulatorFixture

    func testAnUndeclaredMethodIs405WithAllow() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            var r = try await client.execute(uri: "/v1/feeds", method: .get, headers: F.admin)
            XCTAssertEqual(r.status, .methodNotAllowed)
            XCTAssertEqual(r.headers[.allow], "POST")
            r = try await client.execute(uri: "/v1/admin/staff", method: .delete, headers: F.admin)
            XCTAssertEqual(r.status, .methodNotAllowed)
            XCTAssertEqual(r.headers[.allow], "GET, POST")
            r = try await client.execute(uri: "/v1/admin/merchants/91350100M000100Y43", method: .put, headers: F.admin)
            XCTAssertEqual(r.headers[.allow], "GET")
            // An unknown path stays 404, and so does a handler's own "not found".
            r = try await client.execute(uri: "/v1/nothing", method: .get, headers: F.admin)
            XCTAssertEqual(r.status, .notFound)
            r = try await client.execute(uri: "/v1/admin/merchants/91350100M000100Y43", method: .get, headers: F.admin)
            XCTAssertEqual(r.status, .notFound)
            XCTAssertNil(r.headers[.allow])
        }
    }
}
