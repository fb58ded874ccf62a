import Foundation
import XCTest

/// A real sandbox-agent binary on a temporary inbox/outbox/state, as a platform would run it.
final class AgentHarness {
    let root: URL
    var inbox: URL { root.appendingPathComponent("inbox") }
    var outbox: URL { root.appendingPathComponent("outbox") }
    var state: URL { root.appendingPathComponent("state") }
    var work: URL { inbox.appendingPathComponent(".work") }
    var configPath: String { root.appendingPathComponent("agent.conf").path }
    /// Everything the tests pretend happens on this day, so verification is reproducible.
    let today = "2026-11-20"

    let settleSeconds: Int, rescanSeconds: Int
    let platformID: String

    init(settleSeconds: Int = 1, rescanSeconds: Int = 1, platformID: String = "test-platform", extraConfig: String = "") throws {
        self.platformID = platformID
        root = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-e2e-\(UUID().uuidString)")
        self.settleSeconds = settleSeconds
        self.rescanSeconds = rescanSeconds
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try writeConfig(extraConfig: extraConfig)
        for d in [inbox, outbox] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }
    }

    /// (Re)writes agent.conf; `extraConfig` may add keys to [agent] and further tables.
    func writeConfig(extraConfig: String) throws {
        try """
        [agent]
        platform_id = "\(platformID)"
        inbox = "inbox"
        outbox = "outbox"
        state_dir = "state"
        rescan_interval_seconds = \(rescanSeconds)
        settle_seconds = \(settleSeconds)
        \(extraConfig)
        [log]
        level = "debug"
        """.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["SANDBOX_AGENT_BIN"] { return URL(fileURLWithPath: path) }
        // The test bundle sits in the build products folder beside the executable.
        var dir = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("sandbox-agent")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/sandbox-agent")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the agent to completion with the given arguments; one that has not ended after
    /// `timeout` seconds is stopped (SIGTERM, then SIGKILL) and the test fails.
    @discardableResult
    func run(_ arguments: [String], timeout: TimeInterval = 120) throws -> Result {
        let p = makeProcess(arguments)
        // stdout and stderr (the log, at debug level) go to files: two pipes read one after the
        // other deadlock once the child fills the second while the first is read to its end, and
        // a pipe read to its end waits for a child that hangs, past any timeout.
        let outPath = root.appendingPathComponent(".stdout-\(UUID().uuidString)")
        let errPath = root.appendingPathComponent(".stderr-\(UUID().uuidString)")
        for path in [outPath, errPath] { _ = FileManager.default.createFile(atPath: path.path, contents: nil) }
        let out = try FileHandle(forWritingTo: outPath)
        let err = try FileHandle(forWritingTo: errPath)
        defer { for path in [outPath, errPath] { try? FileManager.default.removeItem(at: path) } }
        p.standardOutput = out
        p.standardError = err
        try p.run()
        try out.close()
        try err.close()
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(10_000) }
        if p.isRunning {
            XCTFail("sandbox-agent \(arguments) did not finish in \(timeout) s")
            p.terminate()
            let grace = Date().addingTimeInterval(5)
            while p.isRunning && Date() < grace { usleep(10_000) }
            if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        }
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: try Data(contentsOf: outPath), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: errPath), as: UTF8.self))
    }

    /// Starts `sandbox-agent run` in the background (the long-running service).
    func startService(extra: [String] = [], environment: [String: String] = [:]) throws -> Process {
        let p = makeProcess(["run", "--config", configPath, "--now", today] + extra)
        if !environment.isEmpty {
            p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let log = FileHandle(forWritingAtPath: root.appendingPathComponent("agent.log").path)
            ?? { _ = FileManager.default.createFile(atPath: root.appendingPathComponent("agent.log").path, contents: nil)
                 return FileHandle(forWritingAtPath: root.appendingPathComponent("agent.log").path)! }()
        log.seekToEndOfFile()
        p.standardOutput = log
        p.standardError = log
        try p.run()
        return p
    }

    var serviceLog: String {
        (try? String(contentsOf: root.appendingPathComponent("agent.log"), encoding: .utf8)) ?? ""
    }

    private func makeProcess(_ arguments: [String]) -> Process {
        let p = Process()
        p.executableURL = AgentHarness.binary
        p.arguments = arguments
        p.currentDirectoryURL = root
        return p
    }

    /// `run --once` on this harness's config.
    @discardableResult
    func runOnce() throws -> Result {
        let r = try run(["run", "--once", "--config", configPath, "--now", today])
        XCTAssertEqual(r.status, 0, "run --once failed: \(r.stderr)")
        return r
    }

    /// Generates an export set into a staging folder and returns the file URLs by kind.
    func generate(merchants: Int, seed: Int = 1, encoding: String = "utf-8") throws -> [String: URL] {
        let staging = root.appendingPathComponent("staging-\(seed)-\(merchants)-\(encoding)")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        let r = try run(["generate", "--merchants", "\(merchants)", "--out", staging.path, "--seed", "\(seed)",
                         "--encoding", encoding, "--now", today])
        XCTAssertEqual(r.status, 0, r.stderr)
        var files: [String: URL] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: staging.path) {
            let kind = String(name.prefix { $0 != "-" })
            files[kind] = staging.appendingPathComponent(name)
        }
        return files
    }

    /// Drops a file the way the contract asks: written elsewhere, renamed in.
    func drop(_ file: URL, as name: String? = nil) throws {
        try FileManager.default.moveItem(at: file, to: inbox.appendingPathComponent(name ?? file.lastPathComponent))
    }

    /// Writes text into a staging file and drops it.
    func drop(text: String, name: String) throws {
        let staging = root.appendingPathComponent(".staging-\(UUID().uuidString)")
        try Data(text.utf8).write(to: staging)
        try drop(staging, as: name)
    }

    /// `status --json`. A service that is starting may not have made its state yet; that is
    /// retried for a few seconds rather than failing the test.
    func status() throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(10)
        while true {
            let r = try run(["status", "--json", "--config", configPath, "--now", today])
            if let object = try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] { return object }
            if Date() > deadline {
                XCTFail("status --json did not print an object: \(r.stdout) \(r.stderr)")
                return [:]
            }
            usleep(100_000)
        }
    }

    func outboxFiles(prefix: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(atPath: outbox.path)
            .filter { $0.hasPrefix(prefix) }.sorted().map { outbox.appendingPathComponent($0) }
    }

    /// Every JSON line of every outbox file of a kind.
    func outboxLines(prefix: String) throws -> [[String: Any]] {
        try outboxFiles(prefix: prefix).flatMap { url -> [[String: Any]] in
            try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
            }
        }
    }

    /// Waits for `condition`; past `timeout` the test fails and stops here (what follows a wait
    /// that timed out would only fail again, further from the cause).
    func waitUntil(timeout: TimeInterval = 60, _ what: String, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return }
            usleep(50_000)
        }
        XCTFail("timed out after \(timeout) s waiting for: \(what)\n--- agent log ---\n\(serviceLog.suffix(3000))")
        throw WaitTimedOut(what: what)
    }

    struct WaitTimedOut: Error { let what: String }

    func count(in folder: URL) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasPrefix(".") }.count
    }
}

extension Dictionary where Key == String, Value == Any {
    func int(_ path: String) -> Int? {
        var node: Any? = self
        for part in path.split(separator: ".") { node = (node as? [String: Any])?[String(part)] }
        return (node as? NSNumber)?.intValue
    }
}
