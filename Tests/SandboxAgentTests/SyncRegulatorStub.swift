import Foundation
import XCTest

/// The Python regulator stub (Fixtures/regulator_stub.py) as a subprocess on 127.0.0.1, with its
/// request log. One per test; `stop()` in tearDown.
final class RegulatorStub {
    /// One request as the stub saw it.
    struct Request {
        var connection: Int
        var method: String
        var path: String
        var query: [[String]]
        var headers: [String: String]
        var body: String
        var bodyBytes: Int
        var gzipOK: Bool?
        var bearerOK: Bool?
        var signatureOK: Bool?
    }

    struct TLS {
        var certificate: String
        var key: String
        /// When set, the stub requires a client certificate signed by this CA.
        var clientCA: String?
    }

    let port: Int
    let logPath: String
    private let process: Process

    var httpURL: String { "http://127.0.0.1:\(port)" }
    var httpsURL: String { "https://127.0.0.1:\(port)" }

    static var scriptPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/regulator_stub.py").path
    }

    /// `script`: one JSON object per request, e.g. `["status": 503, "headers": ["Retry-After": "2"]]`.
    init(directory: String, script: [[String: Any]] = [], token: String? = nil, secret: String? = nil,
         tls: TLS? = nil) throws {
        logPath = directory + "/stub-\(UInt32.random(in: 0...UInt32.max)).jsonl"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        var arguments = [Self.scriptPath, "--log", logPath,
                         "--script", String(decoding: try JSONSerialization.data(withJSONObject: script), as: UTF8.self)]
        if let token { arguments += ["--token", token] }
        if let secret { arguments += ["--secret", secret] }
        if let tls {
            arguments += ["--cert", tls.certificate, "--key", tls.key]
            if let ca = tls.clientCA { arguments += ["--client-ca", ca] }
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        // The first line is "PORT n"; EOF first means the stub failed (its stderr is in the test log).
        var line: [UInt8] = []
        while true {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
            if line.contains(UInt8(ascii: "\n")) { break }
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5).prefix { $0.isNumber }) else {
            process.terminate()
            throw XCTSkip("regulator stub did not start (python3 missing?): \(text)")
        }
        self.port = port
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    /// Every request logged so far, in arrival order.
    func requests() throws -> [Request] {
        let text = try String(contentsOfFile: logPath, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return Request(connection: o["connection"] as! Int, method: o["method"] as! String,
                           path: o["path"] as! String, query: o["query"] as! [[String]],
                           headers: o["headers"] as! [String: String], body: o["body"] as! String,
                           bodyBytes: o["body_bytes"] as! Int, gzipOK: o["gzip_ok"] as? Bool,
                           bearerOK: o["bearer_ok"] as? Bool, signatureOK: o["signature_ok"] as? Bool)
        }
    }
}
