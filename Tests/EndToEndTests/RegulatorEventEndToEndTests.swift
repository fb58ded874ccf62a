import Foundation
import XCTest

/// A lead the regulator closed returns to the platform's agent as an `event` directive, which the
/// agent files as an event of the storefront — counted by the indicators like an exported one.
final class RegulatorEventEndToEndTests: SyncTestCase {
    func testAnEventDirectiveIsFiledAsAnEventOfTheStorefront() throws {
        let agent = try makeAgent()
        try agent.drop(text: "platform_merchant_id,shop_name,entity_type,uscc,category\n1000000001,川味小馆,enterprise,91350100M000100Y43,general\n",
                       name: "merchants-platform-a-1.csv")
        try agent.runOnce()
        XCTAssertEqual(try agent.status().int("events"), 0)
        let id = try regulator.createDirective(
            platform: "platform-a", type: "event", merchantID: "1000000001", uscc: "91350100M000100Y43",
            payload: ["event_id": "REG-platform-a-case-1", "event_type": "penalty", "occurred_at": "2026-11-19T10:00:00+08:00",
                      "severity": "general", "description": "结案：警告、罚款", "penalty_fen": 500_000, "source": "regulator"])
        try agent.runOnce()
        XCTAssertEqual(try agent.status().int("events"), 1, "the event directive was not filed as an event")
        let line = try XCTUnwrap(try agent.outboxLines(prefix: "directive-").first, "the platform sees it too")
        XCTAssertEqual(line["instruction_id"] as? String, id)
        XCTAssertEqual(line["event_type"] as? String, "penalty")
        // Received again (a restart), it stays one event.
        try agent.runOnce()
        XCTAssertEqual(try agent.status().int("events"), 1)
    }
}
