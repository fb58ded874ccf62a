import Foundation
import Glibc
import XCTest

/// A regulator node whose PostgreSQL is gone still stops on SIGTERM (issue 15): its cluster is
/// stopped (`pg_ctl stop -m immediate`) while feed batches are in flight, then the node is sent
/// SIGTERM and must exit within a few seconds — 0, or an error its log explains — not hang.
/// Before, a store thread waited for ever on the ROLLBACK PostgresNIO had dropped on the closed
/// connection, and the node ignored SIGTERM until SIGKILL (docs/benchmarks.md, issue 15). Uses a
/// cluster of its own (stopping the shared one would break the other tests); skipped where
/// scripts/test has not found PostgreSQL (SANDBOX_E2E_POSTGRES unset).
final class RegulatorDatabaseGoneEndToEndTests: XCTestCase {
    func testANodeWhoseDatabaseStoppedExitsOnSIGTERM() throws {
        guard let shared = ProcessInfo.processInfo.environment["SANDBOX_E2E_POSTGRES"], !shared.isEmpty else {
            throw XCTSkip("needs PostgreSQL: scripts/test starts a throwaway cluster and sets SANDBOX_E2E_POSTGRES")
        }
        let script = PolicyEndToEndTests.repositoryRoot.appendingPathComponent("scripts/postgres-cluster").path
        let started = try Self.run([script, "start"])
        let parts = started.split(separator: " ").map(String.init)
        XCTAssertEqual(parts.count, 2, "postgres-cluster start printed: \(started)")
        guard parts.count == 2 else { return }
        let (folder, url) = (parts[0], parts[1])
        var clusterStopped = false
        defer { if !clusterStopped { _ = try? Self.run([script, "stop", folder]) } }

        let node = try RegulatorHarness()
        node.database = url
        try node.start()
        let pid = try XCTUnwrap(node.process?.processIdentifier)
        // Batches keep coming on four connections, so the cluster stops with some in hand.
        let sending = Senders(url: node.url)
        sending.start(4)
        let firstAnswered = Date().addingTimeInterval(60)
        while sending.answered == 0 && Date() < firstAnswered { usleep(50_000) }
        XCTAssertGreaterThan(sending.answered, 0, "no batch was answered before the cluster stopped:\n\(node.log)")
        usleep(300_000)
        _ = try Self.run([script, "stop", folder])
        clusterStopped = true
        usleep(500_000)

        let asked = Date()
        kill(pid, SIGTERM)
        var status: Int32 = 0
        var exited = false
        while Date().timeIntervalSince(asked) < 10 {
            if waitpid(pid, &status, WNOHANG) == pid { exited = true; break }
            usleep(50_000)
        }
        sending.stop()
        if !exited { kill(pid, SIGKILL); waitpid(pid, &status, 0) }
        XCTAssertTrue(exited, "the node was still running 10 s after SIGTERM with its database gone:\n\(node.log)")
        guard exited else { return }
        let seconds = Date().timeIntervalSince(asked)
        XCTAssertLessThan(seconds, 5, "stopping took \(seconds) s")
        // Exited by itself (not killed by the signal): 0, or an error it wrote down.
        XCTAssertTrue(status & 0x7f == 0, "the node died of signal \(status & 0x7f) instead of stopping")
        let code = (status >> 8) & 0xff
        if code != 0 { XCTAssertTrue(node.log.contains("PostgreSQL") || node.log.contains("postgres"), "exit \(code):\n\(node.log)") }
    }

    /// Runs a command and returns its standard output, trimmed; fails the test if it fails.
    static func run(_ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "\(arguments.joined(separator: " ")) failed")
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Threads posting batches of 2,000 merchants of platform-a until told to stop; each answer
    /// (whatever its status) or failure counts, the next batch follows at once.
    final class Senders: @unchecked Sendable {
        let url: String
        private let lock = NSLock()
        private var count = 0, stopping = false
        init(url: String) { self.url = url }

        var answered: Int { lock.withLock { count } }

        func start(_ threads: Int) {
            for t in 0..<threads {
                Thread.detachNewThread { [self] in
                    var n = 0
                    while !lock.withLock({ stopping }) {
                        let body = RegulatorIntakeEndToEndTests.items(2_000, prefix: "gone-\(t)-\(n)")
                        let ok = (try? RegulatorIntakeEndToEndTests.post(url, body, key: "gone-\(t)-\(n)")) != nil
                        lock.withLock { count += 1 }
                        if !ok { usleep(100_000) }
                        n += 1
                    }
                }
            }
        }

        func stop() { lock.withLock { stopping = true } }
    }
}
