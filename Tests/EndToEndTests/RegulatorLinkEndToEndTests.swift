import Foundation
import Glibc
import SandboxAgent
import TestSupport
import XCTest

/// The two halves of the regulator link agree on the wire: the agent's libcurl connection, gzip
/// and HMAC signature against the real `sandbox-regulator` binary on 127.0.0.1.
final class RegulatorLinkEndToEndTests: XCTestCase {
    var folder: URL!
    var server: Process?
    var port: Int = 0

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("link-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try writeSecret("""
        admin_token = "admin-token-1"
        [[platform]]
        id = "platform-a"
        token = "token-a"
        hmac_secret = "secret-a"
        [[platform]]
        id = "platform-b"
        token = "token-b"
        hmac_secret = "secret-b"
        """, to: folder.appendingPathComponent("platforms.toml"))
        port = try unusedLoopbackPort()
        let p = Process()
        p.executableURL = AgentHarness.binary.deletingLastPathComponent().appendingPathComponent("sandbox-regulator")
        p.arguments = ["serve", "--listen", "127.0.0.1:\(port)", "--db", folder.appendingPathComponent("regulator.db").path,
                       "--platforms", folder.appendingPathComponent("platforms.toml").path]
        let log = folder.appendingPathComponent("regulator.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: log)
        p.standardError = try FileHandle(forWritingTo: log)
        try p.run()
        server = p
        let connection = try RegulatorConnection(endpoint: RegulatorEndpoint(baseURL: "http://127.0.0.1:\(port)"))
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let r = try? connection.send(HTTPRequest(method: .get, path: "/healthz", timeoutSeconds: 2)), r.status == 200 { return }
            usleep(100_000)
        }
        XCTFail("the regulator did not answer /healthz: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    override func tearDownWithError() throws {
        server?.terminate()
        server?.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }

    func testAGzipSignedFeedIsFiledOnceAndAReplayIsRecognised() throws {
        let connection = try RegulatorConnection(endpoint: RegulatorEndpoint(baseURL: "http://127.0.0.1:\(port)"))
        let items = [
            #"{"type":"merchant","platform_id":"platform-a","key":"m-1","uscc":"91350100M000100Y43","content_hash":"1","data":{"platform_merchant_id":"m-1","shop_name":"川味小馆","entity_type":"enterprise","category":"food"}}"#,
            #"{"type":"merchant","platform_id":"platform-a","key":"m-2","uscc":"91350100M000100Y43","content_hash":"2","data":{"platform_merchant_id":"m-2","shop_name":"二店","entity_type":"enterprise","category":"general"}}"#,
        ].joined(separator: "\n") + "\n"
        let body = Gzip.compress(Array(items.utf8))
        let signer = FeedSignature(token: "token-a", secret: Array("secret-a".utf8))
        let now = Int64(Date().timeIntervalSince1970)
        let request = HTTPRequest(method: .post, path: "/v1/feeds",
                                  headers: signer.headers(path: "/v1/feeds", idempotencyKey: "batch-1", body: body, unixTime: now)
                                      + [("Content-Encoding", "gzip"), ("Idempotency-Key", "batch-1")],
                                  body: body)
        let first = try connection.send(request)
        XCTAssertEqual(first.status, 200, String(decoding: first.body, as: UTF8.self))
        let answer = try JSONSerialization.jsonObject(with: Data(first.body)) as? [String: Any]
        XCTAssertEqual(answer?["accepted"] as? Int, 2)
        XCTAssertEqual(answer?["duplicate"] as? Bool, false)

        let replay = try connection.send(request)
        XCTAssertEqual(replay.status, 200)
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(replay.body)) as? [String: Any])?["duplicate"] as? Bool, true)

        // Signed with platform B's secret: refused, nothing filed.
        let forged = FeedSignature(token: "token-a", secret: Array("secret-b".utf8))
        let bad = try connection.send(HTTPRequest(method: .post, path: "/v1/feeds",
            headers: forged.headers(path: "/v1/feeds", idempotencyKey: "batch-2", body: body, unixTime: now)
                + [("Content-Encoding", "gzip"), ("Idempotency-Key", "batch-2")], body: body))
        XCTAssertEqual(bad.status, 401)
        // The first batch's headers and body under a new key (a replay that would roll records
        // back): refused, the signature covers the key.
        let replayed = try connection.send(HTTPRequest(method: .post, path: "/v1/feeds",
            headers: request.headers.map { $0.0 == "Idempotency-Key" ? ($0.0, "batch-3") : $0 }, body: body))
        XCTAssertEqual(replayed.status, 401)

        let stats = try connection.send(HTTPRequest(method: .get, path: "/v1/admin/stats",
                                                    headers: [("Authorization", "Bearer admin-token-1")]))
        XCTAssertEqual(stats.status, 200)
        let s = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(stats.body)) as? [String: Any])
        XCTAssertEqual(s["merchant_records"] as? Int, 2)
        XCTAssertEqual(s["distinct_uscc"] as? Int, 1)
        XCTAssertEqual(s["batches_accepted"] as? Int, 1)
        XCTAssertEqual(s["batches_duplicate"] as? Int, 1)
        // One kept-alive connection served every request of this test.
        XCTAssertEqual(connection.connectionsOpened, 1)
    }
}
