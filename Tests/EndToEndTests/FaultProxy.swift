import Foundation
import XCTest

/// `Fixtures/fault_proxy.py` in front of the regulator: faults by rule from a control file, and
/// optionally TLS termination (the regulator itself serves plain HTTP behind such a front).
final class FaultProxy {
    let process: Process
    let port: Int
    let control: URL
    let log: URL

    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fault_proxy.py")
    }

    init(upstreamPort: Int, folder: URL, tlsCertificate: String? = nil, tlsKey: String? = nil) throws {
        control = folder.appendingPathComponent("proxy-control-\(UUID().uuidString).json")
        log = folder.appendingPathComponent("proxy-\(UUID().uuidString).log")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = ["python3", Self.script.path, "--listen-port", "0", "--upstream", "127.0.0.1:\(upstreamPort)",
                         "--control-file", control.path, "--log", log.path]
        if let tlsCertificate, let tlsKey { arguments += ["--tls-cert", tlsCertificate, "--tls-key", tlsKey] }
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.standardError
        try p.run()
        process = p
        // The proxy prints "PORT n" once it listens.
        var line = Data()
        while !line.contains(0x0a) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let n = Int(text.dropFirst(5)) else {
            p.terminate()
            throw XCTSkip("the fault proxy did not start (python3 missing?): \(text)")
        }
        port = n
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }

    /// Replaces the rules (atomically: the proxy re-reads the file on every request).
    func setRules(_ rules: [[String: Any]]) throws {
        let data = try JSONSerialization.data(withJSONObject: ["rules": rules, "generation": UUID().uuidString])
        let temporary = control.appendingPathExtension("tmp")
        try data.write(to: temporary)
        _ = rename(temporary.path, control.path)
    }

    /// The proxy's request log, one object per request.
    var requests: [[String: Any]] {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }
}
