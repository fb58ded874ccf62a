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
        // Its line goes to a file: the server it starts keeps whatever it inherited open, so a
        // pipe would never reach its end.
        let answer = FileManager.default.temporaryDirectory.appendingPathComponent("pg-gone-\(getpid()).txt").path
        defer { try? FileManager.default.removeItem(atPath: answer) }
        XCTAssertEqual(system("'\(script)' start > '\(answer)'"), 0, "postgres-cluster start failed")
        let started = try String(contentsOfFile: answer, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = started.split(separator: " ").map(String.init)
        XCTAssertEqual(parts.count, 2, "postgres-cluster start printed: \(started)")
        guard parts.count == 2 else { return }
        let (folder, url) = (parts[0], parts[1])
        var clusterStopped = false
        defer { if !clusterStopped { try? Self.run([script, "stop", folder]) } }

        let node = try RegulatorHarness()
        node.database = url
        try node.start()
        let process = try XCTUnwrap(node.process)
        let pid = process.processIdentifier
        // Batches keep coming on four connections, so the cluster stops with some in hand.
        let sending = Senders(url: node.url)
        sending.start(4)
        let firstAnswered = Date().addingTimeInterval(60)
        while sending.answered == 0 && Date() < firstAnswered { usleep(50_000) }
        XCTAssertGreaterThan(sending.answered, 0, "no batch was answered before the cluster stopped:\n\(node.log)")
        usleep(300_000)
        try Self.run([script, "stop", folder])
        clusterStopped = true
        usleep(500_000)

        // SIGTERM while the agents still send: batches arrive to the end.
        let asked = Date()
        kill(pid, SIGTERM)
        // Foundation's Process reaps its child itself: ask it, not waitpid (which then finds no
        // child, and a node that had stopped in a second looked as if it never did).
        var exited = false
        while Date().timeIntervalSince(asked) < 10 {
            if !process.isRunning { exited = true; break }
            usleep(50_000)
        }
        sending.stop()
        if !exited { kill(pid, SIGKILL); process.waitUntilExit() }
        XCTAssertTrue(exited, "the node was still running 10 s after SIGTERM with its database gone:\n\(node.log)")
        guard exited else { return }
        let seconds = Date().timeIntervalSince(asked)
        XCTAssertLessThan(seconds, 5, "stopping took \(seconds) s")
        // Exited by itself (not killed by the signal): 0, or an error it wrote down.
        XCTAssertEqual(process.terminationReason, .exit, "the node died of signal \(process.terminationStatus) instead of stopping")
        let code = process.terminationStatus
        if code != 0 { XCTAssertTrue(node.log.contains("PostgreSQL") || node.log.contains("postgres"), "exit \(code):\n\(node.log)") }
    }

    /// Runs a shell command line and waits for the shell alone (`system`, so `waitpid`):
    /// Foundation's Process also waits for descriptors the server started here keeps open.
    static func run(_ arguments: [String]) throws {
        let line = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let status = system(line + " >/dev/null")
        XCTAssertEqual(status, 0, "\(line) failed")
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
