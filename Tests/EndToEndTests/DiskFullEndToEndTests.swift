import Foundation
import XCTest

/// A full disk loses nothing: the file stays claimed, nothing half-applied, and it goes through
/// once there is room again. Needs root to mount a small tmpfs (CI runs as root); skipped otherwise.
final class DiskFullEndToEndTests: XCTestCase {
    func testAFullDiskLeavesTheFileClaimedAndItIsAppliedOnceThereIsRoom() throws {
        let small = try smallFileSystem()
        let h = try AgentHarness(extraConfig: "")
        // State and outbox on the small file system; the inbox (and its work folder) elsewhere.
        try """
        [agent]
        platform_id = "test-platform"
        inbox = "inbox"
        outbox = "\(small.path)/outbox"
        state_dir = "\(small.path)/state"
        settle_seconds = 0
        """.write(toFile: h.configPath, atomically: true, encoding: .utf8)
        let files = try h.generate(merchants: 8000)
        try h.drop(XCTUnwrap(files["merchants"]))

        let full = try h.run(["run", "--once", "--config", h.configPath, "--now", h.today])
        XCTAssertEqual(full.status, 75, "expected EX_TEMPFAIL on a full disk: \(full.stdout) \(full.stderr)")
        XCTAssertTrue(full.stdout.contains("1 left for retry"), full.stdout)
        XCTAssertEqual(h.count(in: h.work), 1, "the file must stay claimed")
        let outbox = small.appendingPathComponent("outbox")
        // Only the disk-full alert may be there (if the space the rolled-back reports freed took it).
        let visible = try FileManager.default.contentsOfDirectory(atPath: outbox.path).filter { !$0.hasPrefix(".") }
        XCTAssertEqual(visible.filter { !$0.hasPrefix("alert-00000000-") }, [], "a report appeared for a file that was not applied")
        XCTAssertTrue(full.stderr.contains("this run leaves it for the next (exit 75)"), full.stderr.suffix(2000).description)
        XCTAssertFalse(full.stderr.contains("restart"), "nothing needs a restart: \(full.stderr.suffix(2000))")
        XCTAssertNotNil(try h.status()["disk_full"] as? [String: Any], "status says why")

        XCTAssertEqual(shell("mount -o remount,size=64m '\(small.path)'"), 0)
        let r = try h.runOnce()
        XCTAssertTrue(r.stdout.contains("8000 accepted"), r.stdout)
        XCTAssertEqual(try h.status().int("merchants"), 8000)
        XCTAssertEqual(try h.status().int("files.applied"), 1)
        XCTAssertEqual(h.count(in: h.work), 0)
        XCTAssertTrue(try h.status()["disk_full"] is NSNull, "a commit went through: the condition cleared")
    }

    /// The service on a full state disk (issue 11): it stays up and loses nothing, and while
    /// commits fail it says so — `status` degraded with the folder, the metrics gauge, one alert
    /// in the outbox (on another disk), a log that says what happens next. Once there is room
    /// again the file goes through by itself and all of it clears.
    func testTheServiceShowsAFullDiskWhileItLastsAndClearsItByItself() throws {
        let small = try smallFileSystem()
        let h = try AgentHarness(extraConfig: "")
        let stateDir = small.appendingPathComponent("state").path
        // Only the state on the small file system; outbox and metrics on the big one.
        try """
        [agent]
        platform_id = "test-platform"
        inbox = "inbox"
        outbox = "outbox"
        state_dir = "\(stateDir)"
        settle_seconds = 0
        rescan_interval_seconds = 1
        [metrics]
        textfile = "metrics/agent.prom"
        interval_seconds = 5
        """.write(toFile: h.configPath, atomically: true, encoding: .utf8)
        let metrics = h.root.appendingPathComponent("metrics/agent.prom")
        func gauge(_ name: String) throws -> Double? {
            try PrometheusText.parse(try String(contentsOf: metrics, encoding: .utf8))[name]
        }
        let files = try h.generate(merchants: 8000)
        let service = try h.startService()
        defer { if service.isRunning { service.terminate(); service.waitUntilExit() } }
        try h.drop(XCTUnwrap(files["merchants"]))

        try h.waitUntil(timeout: 60, "status shows the full disk") {
            (try h.status()["disk_full"] as? [String: Any]) != nil
        }
        let status = try h.status()
        XCTAssertEqual(status["health"] as? String, "degraded")
        XCTAssertEqual((status["disk_full"] as? [String: Any])?["folder"] as? String, stateDir)
        let problems = status["problems"] as? [String] ?? []
        XCTAssertTrue(problems.contains { $0.contains("no space left on the file system of \(stateDir)") && $0.contains("retries every 30 s") },
                      "\(problems)")
        let text = try h.run(["status", "--config", h.configPath])
        XCTAssertEqual(text.status, 1, "degraded: exit 1")
        XCTAssertTrue(text.stdout.contains("health          degraded: no space left on the file system of \(stateDir)"), text.stdout)
        XCTAssertEqual(h.count(in: h.work), 1, "the file stays claimed")

        try h.waitUntil(timeout: 30, "the metrics show the full disk") {
            (try? gauge("sandbox_agent_disk_full{platform_id=\"test-platform\"}")) == 1
        }
        XCTAssertEqual(try gauge("sandbox_agent_health"), 1)

        let alerts = try h.outboxLines(prefix: "alert-")
        XCTAssertEqual(alerts.count, 1, "one alert, not one per retry")
        XCTAssertEqual(alerts.first?["type"] as? String, "disk_full")
        XCTAssertEqual(alerts.first?["folder"] as? String, stateDir)
        XCTAssertTrue((alerts.first?["action"] as? String ?? "").contains("no restart needed"))
        XCTAssertEqual(try h.outboxFiles(prefix: "alert-").first?.lastPathComponent.hasPrefix("alert-00000000-"), true,
                       "outside the sequence: taking a number would be a write to the full state")

        let log = h.serviceLog
        XCTAssertTrue(log.contains("the agent retries every 30 s by itself, no restart needed"), log.suffix(3000).description)
        XCTAssertTrue(log.contains("free space on the file system of \(stateDir)"), log.suffix(3000).description)
        XCTAssertFalse(log.contains("restart;") || log.contains("then restart"), "no restart is needed: \(log.suffix(3000))")
        XCTAssertTrue(service.isRunning, "the agent stays up")

        // Room again: the retry (every 30 s) applies the file once, and every sign clears.
        XCTAssertEqual(shell("mount -o remount,size=64m '\(small.path)'"), 0)
        try h.waitUntil(timeout: 90, "the file is applied after the disk has room") {
            (try h.status().int("files.applied")) == 1
        }
        try h.waitUntil(timeout: 30, "status and metrics clear") {
            let s = try h.status()
            return s["disk_full"] is NSNull && s["health"] as? String == "healthy"
                && (try? gauge("sandbox_agent_disk_full{platform_id=\"test-platform\"}")) == 0
        }
        XCTAssertEqual(try h.status().int("merchants"), 8000)
        XCTAssertEqual(h.count(in: h.work), 0)
        XCTAssertTrue(h.serviceLog.contains("space is back: commits go through again"))
        XCTAssertEqual(try h.outboxLines(prefix: "alert-").count, 1, "no further alert")
        service.terminate()
        service.waitUntilExit()
        XCTAssertEqual(service.terminationStatus, 0)
    }

    /// A 1 MiB tmpfs, unmounted when the test ends. Needs root to mount (CI runs as root); the
    /// test is skipped otherwise.
    private func smallFileSystem() throws -> URL {
        guard getuid() == 0 else { throw XCTSkip("mounting a small file system needs root") }
        let small = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: small, withIntermediateDirectories: true)
        guard shell("mount -t tmpfs -o size=1m tmpfs '\(small.path)'") == 0 else {
            throw XCTSkip("cannot mount tmpfs here")
        }
        addTeardownBlock {
            _ = DiskFullEndToEndTests.run("umount '\(small.path)'")
            try? FileManager.default.removeItem(at: small)
        }
        return small
    }

    private func shell(_ command: String) -> Int32 { DiskFullEndToEndTests.run(command) }

    private static func run(_ command: String) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        do { try p.run() } catch { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }
}
