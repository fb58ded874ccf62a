import Foundation
import Hummingbird

import SandboxPack
import XCTest
@testable import SandboxRegulator

/// Feed lines of the policy's item types (docs/policy.md §10.1), and posting them.
enum PolicyItems {
    typealias F = RegulatorFixture

    static func line(_ type: String, platform: String, key: String, uscc: String?, hash: String = "1",
                     data: [String: Any], packVersion: Any? = "chengdu-2026.1", packSerial: Any? = 1) -> String {
        var item: [String: Any] = ["type": type, "platform_id": platform, "key": key, "content_hash": hash, "data": data]
        if let uscc { item["uscc"] = uscc }
        if let packVersion { item["pack_version"] = packVersion }
        if let packSerial { item["pack_serial"] = packSerial }
        let bytes = try! JSONSerialization.data(withJSONObject: item, options: [.sortedKeys])
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `proposed`: the agent's own decision when it differs from what it applies (an agent that
    /// knows the regulator decides sends both; an older one only `member`).
    static func roster(_ platform: String, _ key: String, uscc: String?, member: Bool, proposed: Bool? = nil,
                       hash: String = "1", since: String? = "2026-03-01") -> String {
        var data: [String: Any] = [
            "member": member, "member_since": member ? (since as Any) : NSNull(), "source": "agent",
            "decision": ["decision": member ? "admitted" : "removed", "at": "2026-03-01T00:05:00+08:00",
                         "criteria": [["id": "ADM-01", "value": true]], "directive_id": NSNull()],
            "readmit_not_before": NSNull(),
        ]
        if let proposed { data["proposed"] = proposed }
        return line("roster", platform: platform, key: key, uscc: uscc, hash: hash, data: data)
    }

    static func creditClass(_ platform: String, _ key: String, uscc: String?, _ letter: String, hash: String = "1") -> String {
        line("class", platform: platform, key: key, uscc: uscc, hash: hash, data: [
            "class": letter, "class_name": "信用风险\(letter)", "points": 80, "since": "2026-02-01", "explanation": [:] as [String: Any],
        ])
    }

    static func caseItem(_ platform: String, _ id: String, uscc: String?, rule: String, state: String, opened: String,
                         hash: String = "1") -> String {
        line("case", platform: platform, key: id, uscc: uscc, hash: hash, data: [
            "case_id": id, "rule_id": rule, "rule_title": "规则 \(rule)", "severity": "general", "addressee": "merchant",
            "state": state, "opened_at": opened, "deadline": "2026-05-01",
            "lead": ["kind": "违法预警线索", "reason": "r", "basis": "b", "evidence": [:] as [String: Any]],
            "steps": [] as [Any], "rectified_at": NSNull(), "in_time": NSNull(), "determination": NSNull(),
            "closed_at": NSNull(), "close_reason": NSNull(),
        ])
    }

    /// Posts one signed gzip batch for `platform`; the status and the JSON answer.
    static func post(_ client: some TestClientProtocol, platform: String, key: String,
                     _ lines: [String]) async throws -> (HTTPResponse.Status, [String: Any]) {
        let body = try F.gzip(F.lines(lines))
        let r = try await client.execute(uri: "/v1/feeds", method: .post, headers: F.signed(platform, body: body, key: key),
                                         body: F.buffer(body))
        return (r.status, try F.json(r))
    }
}
