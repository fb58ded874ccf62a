import Foundation
import Hummingbird

import XCTest
@testable import SandboxRegulator

final class PolicyFeedTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias P = PolicyItems
    static let uscc = "91510104MA6CXXXX01"

    func testTheFiveNewTypesAreStoredWithTheirPack() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            let (status, answer) = try await P.post(client, platform: "A", key: "b1", [
                P.creditClass("A", "m1", uscc: Self.uscc, "B"),
                P.roster("A", "m1", uscc: Self.uscc, member: true),
                P.caseItem("A", "case-1", uscc: Self.uscc, rule: "RL-01", state: "open", opened: "2026-04-01T10:00:00+08:00"),
                P.line("instruction", platform: "A", key: "ins-1", uscc: Self.uscc,
                       data: ["instruction_id": "ins-1", "kind": "guidance", "receipt_state": "pending"]),
                P.line("prompt", platform: "A", key: "ins-2", uscc: nil,
                       data: ["prompt_id": "PR-01", "window_key": "2026", "cause": "c", "addressee": "merchant",
                              "issued_at": "2026-04-01T10:00:00+08:00"], packVersion: nil, packSerial: nil),
            ])
            XCTAssertEqual(status, .ok)
            XCTAssertEqual(answer["accepted"] as? Int, 5, "\(answer)")
            XCTAssertEqual((answer["rejected"] as? [Any])?.count, 0, "\(answer)")
        }
        let stored = try await f.store.read { try $0.storedRecord(platformID: "A", kind: .class, key: "m1") }
        XCTAssertEqual(stored?.data["class"], .string("B"))
        let stats = try await f.store.read { try $0.stats() }
        XCTAssertEqual(stats.total.recordsByType["roster"], 1)
        XCTAssertEqual(stats.total.recordsByType["prompt"], 1)
    }

    func testPackFieldsOfTheWrongTypeAndBadDataAreRejectedWithTheReason() {
        func reason(_ line: String) -> String? {
            FeedBatchParser.parse(Array((line + "\n").utf8), platformID: "A").rejected.listed.first?.reason
        }
        let good = P.roster("A", "m1", uscc: nil, member: true)
        XCTAssertNil(reason(good))
        XCTAssertEqual(FeedBatchParser.parse(Array((good + "\n").utf8), platformID: "A").items.first?.packSerial, 1)
        XCTAssertEqual(FeedBatchParser.parse(Array((good + "\n").utf8), platformID: "A").items.first?.packVersion, "chengdu-2026.1")
        XCTAssertTrue(reason(P.line("merchant", platform: "A", key: "m", uscc: nil, data: [:], packVersion: 5))?
            .contains("`pack_version` must be a string") ?? false)
        XCTAssertTrue(reason(P.line("merchant", platform: "A", key: "m", uscc: nil, data: [:], packSerial: "1"))?
            .contains("`pack_serial` must be a whole number") ?? false)
        XCTAssertTrue(reason(P.line("merchant", platform: "A", key: "m", uscc: nil, data: [:], packSerial: 0))?
            .contains("`pack_serial`") ?? false)
        // null means "no pack" (§10.1) and is fine on any type.
        XCTAssertNil(reason(P.line("merchant", platform: "A", key: "m", uscc: nil, data: [:], packVersion: NSNull(), packSerial: NSNull())))
        XCTAssertEqual(reason(P.line("class", platform: "A", key: "m", uscc: nil, data: ["class": "E"])),
                       "class `data.class` must be one of A, B, C, D")
        XCTAssertEqual(reason(P.line("roster", platform: "A", key: "m", uscc: nil, data: ["member": "yes"])),
                       "roster `data.member` must be true or false")
        XCTAssertEqual(reason(P.line("roster", platform: "A", key: "m", uscc: nil, data: ["member": true, "member_since": "2026-13-01"])),
                       "roster `data.member_since` must be a date YYYY-MM-DD or null")
        XCTAssertEqual(reason(P.line("case", platform: "A", key: "c1", uscc: nil, data: ["case_id": "c2", "rule_id": "R", "state": "open"])),
                       "`data.case_id` must equal the item's `key` (the case id)")
        XCTAssertEqual(reason(P.line("case", platform: "A", key: "c1", uscc: nil, data: ["case_id": "c1", "rule_id": "R", "state": "shut"])),
                       "case `data.state` must be one of ended, open, overdue, rectified, rectified_late, terminated, withdrawn")
        XCTAssertEqual(reason(P.line("prompt", platform: "A", key: "p", uscc: nil, data: [:])), "prompt `data.prompt_id` is required: a string")
        XCTAssertTrue(reason(P.line("verdict", platform: "A", key: "p", uscc: nil, data: [:]))?.contains("class, roster, case, instruction, prompt") ?? false)
    }

    func testEveryNewRosterAndCaseVersionIsAppendedToHistory() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            _ = try await P.post(client, platform: "A", key: "b1", [
                P.roster("A", "m1", uscc: Self.uscc, member: true, hash: "1"),
                P.caseItem("A", "case-1", uscc: Self.uscc, rule: "RL-01", state: "open", opened: "2026-04-01", hash: "1"),
            ])
            // The same versions again (another batch): not new.
            _ = try await P.post(client, platform: "A", key: "b2", [
                P.roster("A", "m1", uscc: Self.uscc, member: true, hash: "1"),
                P.caseItem("A", "case-1", uscc: Self.uscc, rule: "RL-01", state: "open", opened: "2026-04-01", hash: "1"),
            ])
            // New versions: removed; overdue then rectified late within one batch.
            _ = try await P.post(client, platform: "A", key: "b3", [
                P.roster("A", "m1", uscc: Self.uscc, member: false, hash: "2"),
                P.caseItem("A", "case-1", uscc: Self.uscc, rule: "RL-01", state: "overdue", opened: "2026-04-01", hash: "2"),
                P.caseItem("A", "case-1", uscc: Self.uscc, rule: "RL-01", state: "rectified_late", opened: "2026-04-01", hash: "3"),
            ])
        }
        let rosterVersions = try await f.store.write { try $0.historyCount(.roster, platformID: "A", key: "m1") }
        let caseVersions = try await f.store.write { try $0.historyCount(.case, platformID: "A", key: "case-1") }
        XCTAssertEqual(rosterVersions, 2)
        XCTAssertEqual(caseVersions, 3)
        let current = try await f.store.read { try $0.storedRecord(platformID: "A", kind: .case, key: "case-1") }
        XCTAssertEqual(current?.data["state"], .string("rectified_late"), "records keep the latest")
    }
}
