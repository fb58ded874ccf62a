import Foundation
import XCTest

/// The agent as a long-running service: watching, partial files, signals, kill -9.
final class ServiceEndToEndTests: XCTestCase {
    func testWatchesInboxAndTakesRenamedFilesButNeverPartialOnes() throws {
        let h = try AgentHarness(settleSeconds: 2, rescanSeconds: 1)
        let files = try h.generate(merchants: 200)
        let service = try h.startService()
        defer { service.terminate(); service.waitUntilExit() }

        // A platform writing under a .part name, slowly: the agent must leave it alone.
        let merchants = try Data(contentsOf: XCTUnwrap(files["merchants"]))
        let part = h.inbox.appendingPathComponent("merchants-slow.csv.part")
        _ = FileManager.default.createFile(atPath: part.path, contents: nil)
        let handle = try FileHandle(forWritingTo: part)
        let chunk = merchants.count / 4 + 1
        for i in 0..<4 {
            handle.write(merchants.subdata(in: (i * chunk)..<min(merchants.count, (i + 1) * chunk)))
            usleep(700_000)
            XCTAssertTrue(FileManager.default.fileExists(atPath: part.path), "the agent took a .part file")
        }
        try handle.close()
        try FileManager.default.moveItem(at: part, to: h.inbox.appendingPathComponent("merchants-slow.csv"))
        try h.waitUntil("the renamed file is applied") { try h.status().int("merchants") == 200 }
        XCTAssertEqual(try h.status().int("files.applied"), 1)
        XCTAssertEqual(try h.outboxLines(prefix: "rejects-").count, 0, "a complete file produced rejects")
    }

    func testFileWrittenSlowlyInPlaceIsTakenOnlyWhenComplete() throws {
        let h = try AgentHarness(settleSeconds: 2, rescanSeconds: 1)
        let files = try h.generate(merchants: 150)
        let service = try h.startService()
        defer { service.terminate(); service.waitUntilExit() }
        let merchants = try Data(contentsOf: XCTUnwrap(files["merchants"]))
        // Written in place in one open, with pauses shorter than the settle time.
        let target = h.inbox.appendingPathComponent("merchants-inplace.csv")
        _ = FileManager.default.createFile(atPath: target.path, contents: nil)
        let handle = try FileHandle(forWritingTo: target)
        let chunk = merchants.count / 8 + 1
        for i in 0..<8 {
            handle.write(merchants.subdata(in: (i * chunk)..<min(merchants.count, (i + 1) * chunk)))
            usleep(400_000)
        }
        try handle.close()
        try h.waitUntil("the file is applied") { try h.status().int("merchants") == 150 }
        XCTAssertEqual(try h.status().int("files.applied"), 1)
        XCTAssertEqual(try h.outboxLines(prefix: "rejects-").count, 0, "the agent read the file before it was complete")
    }

    func testKillNineInTheMiddleOfALargeFileLosesNothingAndAppliesNothingTwice() throws {
        let h = try AgentHarness(settleSeconds: 1, rescanSeconds: 1)
        let files = try h.generate(merchants: 80_000)
        try h.drop(XCTUnwrap(files["merchants"]))
        // Killed hard three times at different depths into the same file: right after the claim,
        // then twice into the restart's re-processing.
        for (round, delay) in [300_000, 900_000, 1_600_000].enumerated() {
            let service = try h.startService()
            try h.waitUntil(timeout: 60, "the file is claimed") { h.count(in: h.work) == 1 }
            usleep(useconds_t(delay))
            kill(service.processIdentifier, SIGKILL)
            service.waitUntilExit()
            XCTAssertEqual(service.terminationReason, .uncaughtSignal)
            XCTAssertEqual(h.count(in: h.work), 1,
                           "round \(round): the kill came after the file was finished; the test did not test the crash")
            XCTAssertEqual(try h.status().int("merchants"), 0, "round \(round): part of an uncommitted file is visible")
        }

        // Restart: the claimed file is processed again from the start, exactly once.
        let r = try h.runOnce()
        XCTAssertTrue(r.stdout.contains("80000 accepted"), r.stdout)
        let s = try h.status()
        XCTAssertEqual(s.int("merchants"), 80_000)
        XCTAssertEqual(s.int("files.applied"), 1)
        XCTAssertEqual(h.count(in: h.work), 0)
        let reports = try h.outboxFiles(prefix: "verification-")
        XCTAssertEqual(reports.count, 1, "\(reports)")
        XCTAssertTrue(reports.first?.lastPathComponent.contains("-00000001-") ?? false,
                      "sequence numbers taken by killed attempts must roll back: \(reports)")
        let ids = try h.outboxLines(prefix: "verification-").compactMap { $0["platform_merchant_id"] as? String }
        XCTAssertEqual(Set(ids).count, ids.count, "a merchant reported twice")
        // Temporary reports the crashes left are gone.
        let hidden = try FileManager.default.contentsOfDirectory(atPath: h.outbox.path).filter { $0.hasPrefix(".") }
        XCTAssertEqual(hidden, [])
    }

    func testSIGTERMStopsTheServiceCleanly() throws {
        let h = try AgentHarness()
        let service = try h.startService()
        try h.waitUntil("the service started") { h.serviceLog.contains("agent started") }
        // Each part on a thread of its own, named so `top -H` and `ps -L` tell them apart.
        let tasks = "/proc/\(service.processIdentifier)/task"
        func names() -> Set<String> {
            Set(((try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? []).compactMap {
                try? String(contentsOfFile: "\(tasks)/\($0)/comm", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            })
        }
        try h.waitUntil(timeout: 10, "the parts' threads named (\(names()))") {
            names().isSuperset(of: ["pipeline", "feed-sync", "feed-freeze"])
        }
        service.terminate()
        let deadline = Date().addingTimeInterval(10)
        while service.isRunning && Date() < deadline { usleep(20_000) }
        XCTAssertFalse(service.isRunning)
        XCTAssertEqual(service.terminationReason, .exit)
        XCTAssertEqual(service.terminationStatus, 0)
        XCTAssertTrue(h.serviceLog.contains("agent stopped"), h.serviceLog)
    }

    /// The stop is bounded: a file that takes longer than `agent.stop_timeout_seconds` to finish is
    /// cut off — the agent still exits 0 within the bound plus a little, nothing of the file is
    /// visible, and the next start takes the file again from the start, once.
    func testSIGTERMLongerThanTheStopBoundCutsTheFileOffAndTheNextStartRedoesIt() throws {
        let h = try AgentHarness(settleSeconds: 1, rescanSeconds: 1, extraConfig: "stop_timeout_seconds = 1")
        let files = try h.generate(merchants: 80_000)
        try h.drop(XCTUnwrap(files["merchants"]))
        let service = try h.startService()
        try h.waitUntil(timeout: 60, "the file is claimed") { h.count(in: h.work) == 1 }
        usleep(200_000)
        let stopped = Date()
        service.terminate()
        service.waitUntilExit()
        let took = Date().timeIntervalSince(stopped)
        XCTAssertEqual(service.terminationReason, .exit)
        XCTAssertEqual(service.terminationStatus, 0, h.serviceLog.suffix(2000).description)
        XCTAssertLessThan(took, 10, "the stop took \(took) s with a 1 s bound")
        XCTAssertEqual(h.count(in: h.work), 1, "the file was finished within the bound; the test did not test the bound")
        XCTAssertTrue(h.serviceLog.contains("work in hand was cut off, not lost"), h.serviceLog.suffix(2000).description)
        // The pipeline is named among the parts cut off (the link's threads may be too: they wait
        // for the pipeline's write lock).
        let cutLine = h.serviceLog.split(separator: "\n").first { $0.contains("work in hand was cut off") } ?? ""
        XCTAssertTrue(cutLine.contains("parts=") && cutLine.contains("pipeline"), String(cutLine))
        XCTAssertEqual(try h.status().int("merchants"), 0, "part of an uncommitted file is visible")

        let r = try h.runOnce()
        XCTAssertTrue(r.stdout.contains("80000 accepted"), r.stdout)
        XCTAssertEqual(try h.status().int("files.applied"), 1)
        XCTAssertEqual(h.count(in: h.work), 0)
    }
}
