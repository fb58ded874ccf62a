import Foundation
import Hummingbird

import XCTest
@testable import SandboxRegulator

final class RegistryReceiptsConfigTests: XCTestCase {
    typealias F = RegulatorFixture

    func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func testRegistryImportFeedsChangesWithCursors() async throws {
        let f = try F(); defer { f.remove() }
        let file = f.folder + "/registry-0701.csv"
        try write("""
            统一社会信用代码,名称,法定代表人,登记状态,列入经营异常名录
            91510100MA6CXXXX01,成都甲公司,张三,存续,否
            91510100MA6CXXXX02,成都乙公司,李四,在业,是
            bad,,,,
            """, to: file)
        var result = try await RegistryImport.run(path: file, store: f.store, now: 1_000)
        XCTAssertEqual(result.changed, 2)
        XCTAssertEqual(result.rejected.count, 1)
        try await f.app().test(.router) { client in
            let r = try await client.execute(uri: "/v1/registry/changes?after=0", method: .get, headers: F.bearer(F.tokens["A"]!))
            XCTAssertEqual(r.status, .ok)
            let body = try F.json(r)
            let changes = body["changes"] as? [[String: Any]] ?? []
            XCTAssertEqual(changes.map { $0["cursor"] as? Int }, [1, 2])
            XCTAssertEqual(changes.first?["registration_status"] as? String, "subsisting")
            XCTAssertEqual(changes.last?["abnormal_list"] as? Bool, true)
            XCTAssertEqual(body["next_cursor"] as? Int, 2)
        }
        // Same again: nothing new. One entry changed: it alone moves to cursor 3.
        result = try await RegistryImport.run(path: file, store: f.store, now: 2_000)
        XCTAssertEqual(result.changed, 0)
        XCTAssertEqual(result.unchanged, 2)
        try write("""
            uscc,name,legal_representative,registration_status,abnormal_list
            91510100MA6CXXXX01,成都甲公司,张三,吊销,否
            91510100MA6CXXXX02,成都乙公司,李四,在业,是
            """, to: file)
        result = try await RegistryImport.run(path: file, store: f.store, now: 3_000)
        XCTAssertEqual(result.changed, 1)
        try await f.app().test(.router) { client in
            let r = try await client.execute(uri: "/v1/registry/changes?after=2", method: .get, headers: F.admin)
            let changes = try F.json(r)["changes"] as? [[String: Any]] ?? []
            XCTAssertEqual(changes.map { $0["uscc"] as? String }, ["91510100MA6CXXXX01"])
            XCTAssertEqual(changes.first?["cursor"] as? Int, 3)
            XCTAssertEqual(changes.first?["registration_status"] as? String, "revoked")
            // The registry entry is the identity of the staff's profile.
            let p = try await client.execute(uri: "/v1/admin/merchants/91510100MA6CXXXX01", method: .get, headers: F.admin)
            XCTAssertEqual((try F.json(p)["identity"] as? [String: Any])?["name"] as? String, "成都甲公司")
        }
    }

    func testReceiptsAreSignedAndIdempotentByReceiptID() async throws {
        let f = try F(); defer { f.remove() }
        let plain = F.lines([
            #"{"receipt_id":"R1","instruction_id":"dir-1","platform_merchant_id":"m1","action":"executed","at":"2026-07-01T10:00:00+08:00"}"#,
            #"{"receipt_id":"R2","instruction_id":"dir-1","platform_merchant_id":"m1","action":"maybe","at":"2026-07-01"}"#,
        ])
        let gz = try F.gzip(plain)
        try await f.app().test(.router) { client in
            // The instruction they answer, one A's agent issued itself (receipts for others' are refused).
            let (status, _) = try await PolicyItems.post(client, platform: "A", key: "i1", [
                PolicyItems.line("instruction", platform: "A", key: "dir-1", uscc: nil, data: ["receipt_state": "awaiting"]),
            ])
            XCTAssertEqual(status, .ok)
            var r = try await client.execute(uri: "/v1/receipts", method: .post, headers: F.signed("A", body: plain, path: "/v1/receipts", gzip: false), body: F.buffer(plain))
            XCTAssertEqual(r.status, .ok)
            var answer = try F.json(r)
            XCTAssertEqual(answer["accepted"] as? Int, 1)
            XCTAssertEqual((answer["rejected"] as? [[String: Any]])?.first?["line"] as? Int, 2)
            r = try await client.execute(uri: "/v1/receipts", method: .post, headers: F.signed("A", body: gz, path: "/v1/receipts"), body: F.buffer(gz))
            answer = try F.json(r)
            XCTAssertEqual(answer["accepted"] as? Int, 0)
            XCTAssertEqual(answer["duplicates"] as? Int, 1)
            r = try await client.execute(uri: "/v1/receipts", method: .post, headers: F.signed("A", body: plain, path: "/v1/receipts", gzip: false, secret: "wrong"), body: F.buffer(plain))
            XCTAssertEqual(r.status, .unauthorized)
        }
        let count = try await f.store.write { try $0.receiptCount(platformID: "A") }
        XCTAssertEqual(count, 1)
    }

    func testRulePackIsNotPublishedYetAndMetricsCountRoutes() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            var r = try await client.execute(uri: "/v1/rulepack", method: .get, headers: F.bearer(F.tokens["A"]!))
            XCTAssertEqual(r.status, .notFound)
            XCTAssertTrue(F.text(r).contains("no rule pack published yet"))
            _ = try await client.execute(uri: "/v1/admin/stats", method: .get, headers: F.bearer(F.tokens["A"]!))
            r = try await client.execute(uri: "/metrics", method: .get)
            let text = F.text(r)
            XCTAssertTrue(text.contains(#"sandbox_regulator_http_requests_total{route="/v1/rulepack",status="404"} 1"#), text)
            XCTAssertTrue(text.contains(#"sandbox_regulator_http_requests_total{route="/v1/admin/stats",status="403"} 1"#), text)
            XCTAssertTrue(text.contains(#"sandbox_regulator_batches_total{result="accepted"} 0"#), text)
        }
    }

    func testPlatformsFileReadsSecretFilesAndRefusesUnknownKeys() throws {
        let folder = NSTemporaryDirectory() + "platforms-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try write("file-secret-xyz\n", to: folder + "/a.secret")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: folder + "/a.secret")
        let good = """
            admin_token = "adm"
            [[platform]]
            id = "A"
            token = "ta"
            hmac_secret_file = "a.secret"
            """
        let dir = try PlatformsFile.parse(text: good, file: "p.toml", baseDirectory: folder)
        XCTAssertEqual(dir.platforms.map(\.id), ["A"])
        XCTAssertEqual(dir.platforms.first?.hmacSecret, Array("file-secret-xyz".utf8), "the file's newline is not part of the secret")

        XCTAssertThrowsError(try PlatformsFile.parse(text: good + "\ncolour = \"red\"", file: "p.toml", baseDirectory: folder)) {
            XCTAssertTrue("\($0)".contains("colour"), "\($0)")
        }
        let missing = good.replacingOccurrences(of: "a.secret", with: "gone.secret")
        XCTAssertThrowsError(try PlatformsFile.parse(text: missing, file: "p.toml", baseDirectory: folder)) {
            XCTAssertTrue("\($0)".contains("gone.secret"), "\($0)")
        }
        let unknownInPlatform = good + "\nsecret = \"s3cr3t-value\""
        XCTAssertThrowsError(try PlatformsFile.parse(text: unknownInPlatform, file: "p.toml", baseDirectory: folder)) {
            XCTAssertTrue("\($0)".contains("`secret`"), "\($0)")
            XCTAssertFalse("\($0)".contains("s3cr3t-value"))
        }
        XCTAssertThrowsError(try PlatformsFile.parse(text: "[[platform]]\nid = \"A\"\ntoken = \"t\"\nhmac_secret = \"h\"",
                                                     file: "p.toml", baseDirectory: folder)) {
            XCTAssertTrue("\($0)".contains("admin_token"), "\($0)")
        }
    }
}
