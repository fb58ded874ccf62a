import Foundation
import Hummingbird

import XCTest
@testable import SandboxRegulator

/// A record's data is stored as the agent sent its text, on both engines: on PostgreSQL new
/// records go in by COPY's text format, where a backslash, tab, newline or carriage return means
/// something, so each must arrive as itself (PostgresCopyText).
final class RecordTextTests: XCTestCase {
    typealias F = RegulatorFixture

    func testDataWithBackslashesTabsAndEscapesIsStoredAsSent() async throws {
        let f = try F(); defer { f.remove() }
        // A raw tab and a carriage return as JSON whitespace, escapes inside strings (\\, \n, \t,
        // \", \u escapes), Chinese text and a key with a backslash.
        let data = "{\"platform_merchant_id\":\"m\\\\1\",\t\"shop_name\":\"店\\\\铺\\n\\t\\\"名\\\"\\u00e9\",\r\"note\":\"a\\\\N b\"}"
        let line = #"{"type":"merchant","platform_id":"A","key":"m\\1","content_hash":"1","data":"# + data + "}"
        let body = try F.gzip(F.lines([line]))
        try await f.app().test(.router) { client in
            let r = try await client.execute(uri: "/v1/feeds", method: .post, headers: F.signed("A", body: body, key: "k1"),
                                             body: F.buffer(body))
            XCTAssertEqual(r.status, .ok, F.text(r))
            XCTAssertEqual(try F.json(r)["accepted"] as? Int, 1, F.text(r))
        }
        let stored = try await f.store.read { s -> String? in
            let read = try s.database.prepare("SELECT data FROM records WHERE platform_id = 'A' AND type = 'merchant'")
            defer { read.reset() }
            return try read.step() ? read.string(0) : nil
        }
        XCTAssertEqual(stored, data)
        let record = try await f.store.read { try $0.storedRecord(platformID: "A", kind: .merchant, key: "m\\1") }
        XCTAssertEqual(record?.data["shop_name"]?.stringValue, "店\\铺\n\t\"名\"é")
        XCTAssertEqual(record?.data["note"]?.stringValue, "a\\N b")
    }
}
