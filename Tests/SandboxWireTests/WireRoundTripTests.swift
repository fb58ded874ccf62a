import Foundation
import SandboxCore
import SandboxWire
import XCTest

/// What the regulator writes is what the agent reads: each message encoded as the regulator's API
/// answers (`WireJSON.encode`) and decoded as the agent's link reads it (`WireJSON.decode`, then
/// `RegistryEntryJSON.record` or the payload's Foundation objects).
final class WireRoundTripTests: XCTestCase {
    func testDirectivesCrossUnchanged() throws {
        let sent = DirectiveList(directives: [
            Directive(id: "d-1", cursor: 7, type: "guidance", platformID: "p1", platformMerchantID: "m-1",
                      uscc: "91510104MA000001XX", payload: .object([
                          "rule": .string("RL-04"), "deadline_days": .int(5), "basis": .array([.string("电子商务法 第十二条")]),
                          "url": .string("https://example.test/a/b"), "ratio": .double(0.25), "urgent": .bool(true), "note": .null,
                      ]), createdAt: "2026-12-03T08:00:00Z"),
            Directive(id: "d-2", cursor: 8, type: "confirmation", platformID: "p1", payload: .object([:]),
                      createdAt: "2026-12-03T08:00:01Z"),
        ], nextCursor: 8)
        let bytes = try WireJSON.encode(sent)
        XCTAssertEqual(try WireJSON.decode(DirectiveList.self, from: bytes), sent)
        // The key names the agent has always read (docs/api/openapi.yaml `Directive`).
        let text = String(decoding: bytes, as: UTF8.self)
        for key in ["\"next_cursor\":8", "\"platform_merchant_id\":\"m-1\"", "\"created_at\":", "\"platform_id\":\"p1\""] {
            XCTAssertTrue(text.contains(key), "\(key) missing from \(text)")
        }
    }

    func testADirectiveWithoutIdCursorOrTypeIsRefusedAndMissingPartsTakeTheAgentsDefaults() throws {
        for broken in [#"{"cursor":1,"type":"guidance"}"#, #"{"id":"","cursor":1,"type":"guidance"}"#,
                       #"{"id":"d","type":"guidance"}"#, #"{"id":"d","cursor":1}"#] {
            XCTAssertThrowsError(try WireJSON.decode(Directive.self, from: Array(broken.utf8)), broken)
        }
        let bare = try WireJSON.decode(Directive.self, from: Array(#"{"id":"d","cursor":1,"type":"warning"}"#.utf8))
        XCTAssertEqual(bare, Directive(id: "d", cursor: 1, type: "warning", platformID: "", payload: .object([:]), createdAt: ""))
        let list = try WireJSON.decode(DirectiveList.self, from: Array(#"{"directives":[]}"#.utf8))
        XCTAssertNil(list.nextCursor)
    }

    func testRegistryEntriesCrossUnchanged() throws {
        let record = RegistryRecord(
            uscc: "91510104MA000001XX", name: "成都某某商贸有限公司", legalRepresentative: "张三", address: "成都市/锦江区",
            registrationStatus: .movedOut, changedAt: try DateField.date("2026-11-30"), abnormalList: false,
            seriousViolationList: true, lastAnnualReportYear: 2025)
        let sent = RegistryChanges(changes: [RegistryEntryJSON.withCursor(RegistryEntryJSON.object(record), cursor: 41)],
                                   nextCursor: 41)
        let received = try WireJSON.decode(RegistryChanges.self, from: try WireJSON.encode(sent))
        XCTAssertEqual(received, sent)
        XCTAssertEqual(received.changes.map(RegistryEntryJSON.record), [record] as [RegistryRecord?])
        let sparse = RegistryRecord(uscc: record.uscc, name: "个体户")
        XCTAssertEqual(RegistryEntryJSON.record(RegistryEntryJSON.object(sparse)), sparse)
        XCTAssertNil(RegistryEntryJSON.record(.object(["uscc": .string("not a code"), "name": .string("x")])))
    }

    /// The agent writes a directive's payload into instruction lines with JSONSerialization: the
    /// objects it gets from the wire types must give the bytes they gave when it parsed the answer
    /// with JSONSerialization itself, so the platforms' files do not change.
    func testPayloadObjectsWriteTheBytesJSONSerializationWrote() throws {
        let payload = #"{"a":1,"b":-2.5,"c":true,"d":false,"e":null,"f":"x/y \"z\" 中文\n","g":[1,"2",{"h":0}],"i":{"j":9007199254740993},"k":1e3}"#
        let before = try JSONSerialization.jsonObject(with: Data(payload.utf8))
        let after = try WireJSON.decode(JSONValue.self, from: Array(payload.utf8)).foundationObject
        for options: JSONSerialization.WritingOptions in [[.sortedKeys], [.sortedKeys, .withoutEscapingSlashes]] {
            XCTAssertEqual(String(decoding: try JSONSerialization.data(withJSONObject: after, options: options), as: UTF8.self),
                           String(decoding: try JSONSerialization.data(withJSONObject: before, options: options), as: UTF8.self))
        }
        let over = try WireJSON.decode(JSONValue.self, from: Array(#"{"over":true,"shops":2}"#.utf8)).foundationObject as? [String: Any]
        XCTAssertEqual(over?["over"] as? Bool, true)
        XCTAssertEqual((over?["shops"] as? NSNumber)?.int64Value, 2)
    }

    /// A receipts answer as the regulator writes it is the rejected lines and count the agent reads.
    func testRejectedLinesCrossUnchanged() throws {
        let sent = ReceiptAnswer(accepted: 3, duplicates: 1, rejected: [FeedRejection(line: 2, reason: "no such instruction")],
                                 rejectedCount: 40)
        let read = try WireJSON.decode(RejectedLinesAnswer.self, from: try WireJSON.encode(sent))
        XCTAssertEqual(read.rejected, sent.rejected)
        XCTAssertEqual(read.rejectedCount, 40)
        XCTAssertNil(try WireJSON.decode(RejectedLinesAnswer.self, from: Array(#"{"accepted":1,"rejected":[]}"#.utf8)).rejectedCount)
    }
}
