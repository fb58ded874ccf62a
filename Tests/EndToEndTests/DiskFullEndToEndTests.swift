import Foundation
import XCTest

/// A full disk loses nothing: the file stays claimed, nothing half-applied, and it goes through
/// once there is room again. Needs root to mount a small tmpfs (CI runs as root); skipped otherwise.
final class DiskFullEndToEndTests: XCTestCase {
    func testAFullDiskLeavesTheFileClaimedAndItIsAppliedOnceThereIsRoom() throws {
        guard getuid() == 0 else { throw XCTSkip("mounting a small file system needs root") }
        let small = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: small, withIntermediateDirectories: true)
        guard shell("mount -t tmpfs -o size=1m tmpfs '\(small.path)'") == 0 else {
            throw XCTSkip("cannot mount tmpfs here")
        }
        defer {
            _ = shell("umount '\(small.path)'")
            try? FileManager.default.removeItem(at: small)
        }
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
        let visible = try FileManager.default.contentsOfDirectory(atPath: outbox.path).filter { !$0.hasPrefix(".") }
        XCTAssertEqual(visible, [], "a report appeared for a file that was not applied")

        XCTAssertEqual(shell("mount -o remount,size=64m '\(small.path)'"), 0)
        let r = try h.runOnce()
        XCTAssertTrue(r.stdout.contains("8000 accepted"), r.stdout)
        XCTAssertEqual(try h.status().int("merchants"), 8000)
        XCTAssertEqual(try h.status().int("files.applied"), 1)
        XCTAssertEqual(h.count(in: h.work), 0)
    }

    private func shell(_ command: String) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        do { try p.run() } catch { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }
}
