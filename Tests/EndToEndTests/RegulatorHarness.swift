import Foundation
import Glibc
import SandboxAgent
import TestSupport
import XCTest

/// A real `sandbox-regulator serve` on a loopback port of its own, with two platforms, that a
/// test can kill and start again on the same port and database.
final class RegulatorHarness {
    let folder: URL
    let port: Int
    private(set) var process: Process?
    /// `serve --rulepack-keys`: the keys the regulator accepts rule packs signed with.
    var rulepackKeys: String?
    /// More `serve` options (e.g. `--idle-timeout-seconds 2`).
    var extraArguments: [String] = []
    /// `--db`: a PostgreSQL URL to share one database between nodes; nil = a SQLite file of its own.
    var database: String?
    /// The process's open-file limit (`ulimit -n`), to run out of descriptors with few connections.
    var fileLimit: Int?
    static let admin = "admin-token-1"
    static let platforms = [("platform-a", "token-a", "secret-a"), ("platform-b", "token-b", "secret-b")]

    var url: String { "http://127.0.0.1:\(port)" }
    var log: String { (try? String(contentsOf: folder.appendingPathComponent("regulator.log"), encoding: .utf8)) ?? "" }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("regulator-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var text = "admin_token = \"\(Self.admin)\"\n"
        for (id, token, secret) in Self.platforms {
            text += "[[platform]]\nid = \"\(id)\"\ntoken = \"\(token)\"\nhmac_secret = \"\(secret)\"\n"
        }
        try writeSecret(text, to: folder.appendingPathComponent("platforms.toml"))
        port = try unusedLoopbackPort()
    }

    deinit {
        if let p = process, p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() }
        try? FileManager.default.removeItem(at: folder)
    }

    static var binary: URL { AgentHarness.binary.deletingLastPathComponent().appendingPathComponent("sandbox-regulator") }

    func start(environment: [String: String] = [:]) throws {
        let p = Process()
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        p.executableURL = Self.binary
        p.arguments = ["serve", "--listen", "127.0.0.1:\(port)", "--db", database ?? folder.appendingPathComponent("regulator.db").path,
                       "--platforms", folder.appendingPathComponent("platforms.toml").path,
                       // Tests log in often; a debug build's hash at the standard cost is 0.7 s.
                       "--staff-password-log2n", "10"]
            + (rulepackKeys.map { ["--rulepack-keys", $0] } ?? []) + extraArguments
        if let fileLimit {
            // The shell lowers its limit and becomes the regulator (exec), so the pid stays the regulator's.
            p.arguments = ["-c", "ulimit -n \(fileLimit) && exec \"$0\" \"$@\"", Self.binary.path] + (p.arguments ?? [])
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
        }
        let logURL = folder.appendingPathComponent("regulator.log")
        if !FileManager.default.fileExists(atPath: logURL.path) { _ = FileManager.default.createFile(atPath: logURL.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: logURL)
        handle.seekToEndOfFile()
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        process = p
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let r = try? request("GET", "/healthz"), r.status == 200 { return }
            usleep(50_000)
        }
        XCTFail("the regulator did not answer /healthz:\n\(log)")
    }

    /// SIGKILL: no chance to finish anything in hand.
    func kill9() {
        guard let p = process else { return }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        process = nil
    }

    func stop() {
        guard let p = process else { return }
        p.terminate()
        p.waitUntilExit()
        process = nil
    }

    struct Answer {
        var status: Int
        var body: Data
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
    }

    /// One request with a fresh connection; `token` nil = the admin token.
    func request(_ method: String, _ path: String, token: String? = admin, body: Data? = nil) throws -> Answer {
        let connection = try RegulatorConnection(endpoint: RegulatorEndpoint(baseURL: url))
        var headers: [(String, String)] = []
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        // "PATH?a=1&b=2": the connection takes the query apart from the path.
        let parts = path.split(separator: "?", maxSplits: 1).map(String.init)
        let query = parts.count > 1 ? parts[1].split(separator: "&").map { pair -> (String, String) in
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            return (kv[0], kv.count > 1 ? kv[1] : "")
        } : []
        let r = try connection.send(HTTPRequest(method: method == "GET" ? .get : .post, path: parts[0], query: query, headers: headers,
                                                body: body.map { Array($0) } ?? [], timeoutSeconds: 10))
        return Answer(status: r.status, body: Data(r.body))
    }

    /// A POST of gzip `body` to `path` as `platform`'s agent sends it — its bearer token, and the
    /// HMAC with its secret over the path, `key`, the time and the body (docs/sync.md) — which is
    /// what anyone holding that token and secret can send. A connection of its own per call, so
    /// calls may run at once.
    static func post(_ url: String, _ path: String, as platform: String, gzip body: [UInt8], key: String,
                     timeoutSeconds: Double = 120) throws -> SandboxAgent.HTTPResponse {
        let (_, token, secret) = platforms.first { $0.0 == platform }!
        let signature = FeedSignature(token: token, secret: Array(secret.utf8))
        let headers = signature.headers(path: path, idempotencyKey: key, body: body, unixTime: Int64(Date().timeIntervalSince1970))
            + [("Idempotency-Key", key), ("Content-Encoding", "gzip"), ("Content-Type", "application/x-ndjson")]
        let connection = try RegulatorConnection(endpoint: RegulatorEndpoint(baseURL: url))
        return try connection.send(HTTPRequest(method: .post, path: path, headers: headers, body: body, timeoutSeconds: timeoutSeconds))
    }

    func stats() throws -> [String: Any] {
        let a = try request("GET", "/v1/admin/stats")
        XCTAssertEqual(a.status, 200)
        return a.json
    }

    /// Creates a directive (staff side) and returns its id.
    func createDirective(platform: String, type: String, merchantID: String? = nil, uscc: String? = nil,
                         payload: [String: Any]) throws -> String {
        var object: [String: Any] = ["platform_id": platform, "type": type, "payload": payload]
        if let merchantID { object["platform_merchant_id"] = merchantID }
        if let uscc { object["uscc"] = uscc }
        let a = try request("POST", "/v1/admin/directives", body: try JSONSerialization.data(withJSONObject: object))
        XCTAssertEqual(a.status, 201, String(decoding: a.body, as: UTF8.self))
        return a.json["id"] as? String ?? ""
    }

    /// `[regulator]` lines for an agent of `platform`, with its secret files written beside the agent.
    func agentSection(_ agent: AgentHarness, platform: String = "platform-a", secret: String? = nil,
                      url: String? = nil, extra: String = "") throws -> String {
        let (_, token, realSecret) = Self.platforms.first { $0.0 == platform }!
        try writeSecret(token + "\n", to: agent.root.appendingPathComponent("token"))
        try writeSecret((secret ?? realSecret) + "\n", to: agent.root.appendingPathComponent("hmac"))
        return """
            [regulator]
            url = "\(url ?? self.url)"
            token_file = "token"
            hmac_secret_file = "hmac"
            \(extra)
            """
    }
}
