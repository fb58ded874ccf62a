import Foundation
import Hummingbird

import SandboxCore
import XCTest
@testable import SandboxRegulator

/// Credit repair as a flow: application → review → decision within the limit → the list entry
/// ends in the registry, which every agent then receives as a registry change.
final class RepairsTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias S = StaffAccessTests

    static func repair(_ client: some TestClientProtocol, _ headers: HTTPFields, _ json: String) async throws -> TestResponse {
        try await client.execute(uri: "/v1/admin/repairs", method: .post, headers: headers, body: F.buffer(Array(json.utf8)))
    }

    func testAnApprovedRepairEndsTheListEntryForEveryAgent() async throws {
        let f = try F(); defer { f.remove() }
        // The enterprise is on the abnormal operations list (经营异常名录) in the registry.
        _ = try await f.store.write { try $0.importRegistry([RegistryRecord(uscc: S.jinjiang, name: "锦江小店", abnormalList: true)], now: 1) }
        try await f.app().test(.router) { client in
            try await S.addStaff(client, "jinjiang-1", role: "district", district: "510104")
            try await S.addStaff(client, "wuhou-1", role: "district", district: "510107")
            let officer = try await S.login(client, "jinjiang-1")
            var r = try await Self.repair(client, officer, #"{"uscc":"\#(S.jinjiang)","list":"abnormal_list","applicant":"锦江小店","application_letter":true}"#)
            XCTAssertEqual(r.status, .created, F.text(r))
            let applied = try F.json(r)
            let id = try XCTUnwrap(applied["id"] as? String)
            XCTAssertEqual(applied["state"] as? String, "pending")
            let received = CivilDate(unixTime: Timestamp.now())
            XCTAssertEqual(applied["decide_by"] as? String, received.adding(workingDays: 5).description, "5 working days")
            // Another district neither sees it nor decides it.
            let other = try await S.login(client, "wuhou-1")
            r = try await client.execute(uri: "/v1/admin/repairs", method: .get, headers: other)
            XCTAssertEqual(try F.json(r)["count"] as? Int, 0)
            r = try await client.execute(uri: "/v1/admin/repairs/\(id)/decision", method: .post, headers: other,
                                         body: F.buffer(Array(#"{"decision":"approve"}"#.utf8)))
            XCTAssertEqual(r.status, .notFound)
            // Without the 守信承诺书 on file there is no approval; a rejection needs its reason.
            r = try await client.execute(uri: "/v1/admin/repairs/\(id)/decision", method: .post, headers: officer,
                                         body: F.buffer(Array(#"{"decision":"approve"}"#.utf8)))
            XCTAssertEqual(r.status, .conflict, F.text(r))
            r = try await client.execute(uri: "/v1/admin/repairs/\(id)/decision", method: .post, headers: officer,
                                         body: F.buffer(Array(#"{"decision":"reject"}"#.utf8)))
            XCTAssertEqual(r.status, .badRequest)

            r = try await Self.repair(client, officer, #"{"uscc":"\#(S.jinjiang)","list":"abnormal_list","applicant":"锦江小店","application_letter":true,"commitment_letter":true}"#)
            let complete = try XCTUnwrap(try F.json(r)["id"] as? String)
            r = try await client.execute(uri: "/v1/registry/changes?after=0", method: .get, headers: F.bearer(F.tokens["A"]!))
            let before = try F.json(r)["next_cursor"] as? Int ?? -1
            r = try await client.execute(uri: "/v1/admin/repairs/\(complete)/decision", method: .post, headers: officer,
                                         body: F.buffer(Array(#"{"decision":"approve","reason":"已履行公示义务"}"#.utf8)))
            XCTAssertEqual(r.status, .ok, F.text(r))
            let decided = try F.json(r)
            XCTAssertEqual(decided["state"] as? String, "approved")
            XCTAssertEqual(decided["decided_by"] as? String, "jinjiang-1")
            // Every agent hears it: the registry entry changed, under a new cursor.
            r = try await client.execute(uri: "/v1/registry/changes?after=\(before)", method: .get, headers: F.bearer(F.tokens["B"]!))
            let changes = try F.json(r)["changes"] as? [[String: Any]] ?? []
            XCTAssertEqual(changes.count, 1)
            XCTAssertEqual(changes.first?["abnormal_list"] as? Bool, false)
            XCTAssertEqual(changes.first?["cursor"] as? Int, decided["registry_cursor"] as? Int)
            // Decided once.
            r = try await client.execute(uri: "/v1/admin/repairs/\(complete)/decision", method: .post, headers: officer,
                                         body: F.buffer(Array(#"{"decision":"reject","reason":"x"}"#.utf8)))
            XCTAssertEqual(r.status, .conflict)
            // The profile lists both applications; the outcome figures count the approval.
            r = try await client.execute(uri: "/v1/admin/merchants/\(S.jinjiang)", method: .get, headers: officer)
            XCTAssertEqual((try F.json(r)["repairs"] as? [Any])?.count, 2)
            r = try await client.execute(uri: "/v1/admin/reports/outcomes", method: .get, headers: officer)
            XCTAssertEqual(try F.json(r)["repairs"] as? Int, 1)
            r = try await client.execute(uri: "/v1/admin/repairs?state=pending", method: .get, headers: officer)
            XCTAssertEqual((try F.json(r)["repairs"] as? [[String: Any]])?.map { $0["id"] as? String }, [id])
        }
    }

    func testWorkingDays() {
        let friday = CivilDate(year: 2026, month: 12, day: 4)!
        XCTAssertFalse(friday.isWeekend)
        XCTAssertTrue(friday.adding(days: 1).isWeekend)
        XCTAssertTrue(friday.adding(days: 2).isWeekend)
        XCTAssertEqual(friday.adding(workingDays: 1), CivilDate(year: 2026, month: 12, day: 7))
        XCTAssertEqual(friday.adding(workingDays: 5), CivilDate(year: 2026, month: 12, day: 11))
        XCTAssertEqual(CivilDate(year: 1970, month: 1, day: 1)!.isWeekend, false, "a Thursday")
    }

    /// An application may come from a platform: the merchant answers the 信用修复 prompt through
    /// it, the platform drops a `repair_application` receipt, and the listing authority finds it
    /// in its queue like one staff entered — once, for the list the registry has it on.
    func testARepairApplicationReceiptFromAPlatformFilesTheApplication() async throws {
        typealias P = PolicyItems
        let f = try F(); defer { f.remove() }
        _ = try await f.store.write { try $0.importRegistry([RegistryRecord(uscc: S.jinjiang, name: "锦江小店", abnormalList: true)], now: 1) }
        try await f.app().test(.router) { client in
            // A's agent prompted its storefront with the repair guide (a `prompt` item).
            let (status, _) = try await P.post(client, platform: "A", key: "a1", [
                F.merchantLine(platform: "A", id: "m1", uscc: S.jinjiang),
                P.line("prompt", platform: "A", key: "A-prompt-00000001", uscc: S.jinjiang,
                       data: ["prompt_id": "PR-04", "platform_merchant_id": "m1"]),
            ])
            XCTAssertEqual(status, .ok)
            func receipts(_ lines: [String]) async throws -> [String: Any] {
                let plain = F.lines(lines)
                let r = try await client.execute(uri: "/v1/receipts", method: .post,
                                                 headers: F.signed("A", body: plain, path: "/v1/receipts", gzip: false), body: F.buffer(plain))
                XCTAssertEqual(r.status, .ok, F.text(r))
                return try F.json(r)
            }
            func application(_ id: String) -> String {
                #"{"receipt_id":"\#(id)","instruction_id":"A-prompt-00000001","platform_merchant_id":"m1","action":"repair_application","at":"2026-07-01T10:00:00+08:00","note":"已提交信用修复申请书和守信承诺书"}"#
            }
            var answer = try await receipts([application("R1")])
            XCTAssertEqual(answer["accepted"] as? Int, 1, "\(answer)")
            // The same application again (another receipt) while the first is pending: one.
            answer = try await receipts([application("R2")])
            XCTAssertEqual(answer["accepted"] as? Int, 1)

            try await S.addStaff(client, "jinjiang-1", role: "district", district: "510104")
            let officer = try await S.login(client, "jinjiang-1")
            let r = try await client.execute(uri: "/v1/admin/repairs", method: .get, headers: officer)
            let queue = try F.json(r)["repairs"] as? [[String: Any]] ?? []
            XCTAssertEqual(queue.count, 1, F.text(r))
            let filed = try XCTUnwrap(queue.first)
            XCTAssertEqual(filed["uscc"] as? String, S.jinjiang)
            XCTAssertEqual(filed["list"] as? String, "abnormal_list", "the list the registry has it on")
            XCTAssertEqual(filed["state"] as? String, "pending")
            XCTAssertEqual(filed["source"] as? String, "platform A receipt R1 (A-prompt-00000001)")
            XCTAssertEqual(filed["application_letter"] as? Bool, true)
            XCTAssertEqual(filed["note"] as? String, "已提交信用修复申请书和守信承诺书")
        }
    }

    func testAReceiptsNoteNamesTheList() {
        XCTAssertEqual(RepairList.named(in: "申请提前停止行政处罚信息公示"), .penaltyPublication)
        XCTAssertEqual(RepairList.named(in: "serious_violation_list"), .seriousViolationList)
        XCTAssertNil(RepairList.named(in: "已提交申请书"))
        XCTAssertNil(RepairList.named(in: "经营异常名录和严重违法失信名单"), "two lists: the registry decides")
        XCTAssertNil(RepairList.named(in: nil))
    }
}
