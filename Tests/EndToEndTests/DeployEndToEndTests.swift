import Foundation
import Glibc
import SandboxAgent
import TestSupport
import XCTest

/// Running as a real service: systemd's notify protocol on a fake notify socket, the units as
/// `systemd-analyze verify` sees them, and the installed layout.
final class DeployEndToEndTests: XCTestCase {
    var repository: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }

    /// READY=1 once started, WATCHDOG=1 at half of WATCHDOG_USEC, STATUS= after a file, STOPPING=1
    /// on SIGTERM — in that order — and exit 0.
    func testTheNotifySocketHearsReadyWatchdogStatusAndStoppingInOrder() throws {
        let agent = try AgentHarness()
        let socket = try NotifySocket(path: agent.root.appendingPathComponent("notify.sock").path)
        let service = try agent.startService(environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "600000"])
        socket.receive { $0.filter { $0.contains("WATCHDOG=1") }.count >= 2 }
        try agent.drop(text: "platform_merchant_id,shop_name,entity_type,category\nm-1,小店,enterprise,general\n",
                       name: "merchants-notify.csv")
        socket.receive { $0.contains { $0.contains("STATUS=since start: 1 file(s) applied") } }
        service.terminate()
        socket.receive { $0.contains { $0.contains("STOPPING=1") } }
        service.waitUntilExit()
        XCTAssertEqual(service.terminationStatus, 0)

        let messages = socket.messages
        let ready = socket.first { $0.hasPrefix("READY=1") }
        let watchdog = socket.first { $0 == "WATCHDOG=1" }
        let status = socket.first { $0.contains("STATUS=since start: 1 file(s) applied") }
        let stopping = socket.first { $0.hasPrefix("STOPPING=1") }
        XCTAssertNotNil(ready, "\(messages)")
        XCTAssertNotNil(watchdog, "\(messages)")
        XCTAssertNotNil(status, "\(messages)")
        XCTAssertNotNil(stopping, "\(messages)")
        if let ready, let watchdog, let status, let stopping {
            XCTAssertLessThan(ready, watchdog)
            XCTAssertLessThan(ready, status)
            XCTAssertLessThan(status, stopping)
            XCTAssertEqual(stopping, messages.count - 1, "nothing after STOPPING=1: \(messages)")
        }
        XCTAssertTrue(messages[ready ?? 0].contains("STATUS=watching"), messages[ready ?? 0])
    }

    /// The regulator speaks the same protocol: READY=1 once it listens (its /healthz answers by
    /// then), WATCHDOG=1 while its store answers, STOPPING=1 first on SIGTERM, exit 0.
    func testTheRegulatorTellsSystemdReadyWatchdogAndStopping() throws {
        let regulator = try RegulatorHarness()
        let socket = try NotifySocket(path: regulator.folder.appendingPathComponent("notify.sock").path)
        try regulator.start(environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "400000"])
        socket.receive { $0.filter { $0 == "WATCHDOG=1" }.count >= 2 }
        let process = try XCTUnwrap(regulator.process)
        process.terminate()
        socket.receive { $0.contains { $0.hasPrefix("STOPPING=1") } }
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit)
        XCTAssertEqual(process.terminationStatus, 0, regulator.log)

        let messages = socket.messages
        let ready = try XCTUnwrap(socket.first { $0.hasPrefix("READY=1") }, "\(messages)")
        let watchdog = try XCTUnwrap(socket.first { $0 == "WATCHDOG=1" }, "\(messages)")
        let stopping = try XCTUnwrap(socket.first { $0.hasPrefix("STOPPING=1") }, "\(messages)")
        XCTAssertLessThan(ready, watchdog)
        XCTAssertLessThan(watchdog, stopping)
        XCTAssertEqual(stopping, messages.count - 1, "nothing after STOPPING=1: \(messages)")
        XCTAssertTrue(messages[ready].contains("STATUS=listening on 127.0.0.1:\(regulator.port)"), messages[ready])
    }

    /// `systemctl reload sandbox-regulator` (SIGHUP) re-reads the platforms file: a rotated token
    /// works from the next request and the old one is refused, a long poll in flight is not
    /// dropped, a broken file is refused and the tokens in force stay — same process throughout.
    func testTheRegulatorRotatesTokensOnSIGHUPWithoutARestart() throws {
        let regulator = try RegulatorHarness()
        try regulator.start()
        let process = try XCTUnwrap(regulator.process)
        let poll = "/v1/directives?after=0&wait=0"
        XCTAssertEqual(try regulator.request("GET", poll, token: "token-a").status, 200)

        // A long poll in flight across the reload.
        let inFlight = DispatchSemaphore(value: 0)
        final class Status: @unchecked Sendable { var code = 0 }
        let longPoll = Status()
        let url = regulator.url
        DispatchQueue.global().async {
            let connection = try? RegulatorConnection(endpoint: RegulatorEndpoint(baseURL: url))
            longPoll.code = (try? connection?.send(HTTPRequest(method: .get, path: "/v1/directives",
                                                               query: [("after", "0"), ("wait", "3")],
                                                               headers: [("Authorization", "Bearer token-a")],
                                                               body: [], timeoutSeconds: 10)).status) ?? -1
            inFlight.signal()
        }
        usleep(300_000)
        let file = regulator.folder.appendingPathComponent("platforms.toml")
        let original = try String(contentsOf: file, encoding: .utf8)
        try writeSecret(original.replacingOccurrences(of: "token = \"token-a\"", with: "token = \"token-a2\""), to: file)
        kill(process.processIdentifier, SIGHUP)
        try waitFor("the platforms file re-read") { regulator.log.contains("platforms file re-read") }
        XCTAssertEqual(try regulator.request("GET", poll, token: "token-a").status, 401, "the rotated-out token")
        XCTAssertEqual(try regulator.request("GET", poll, token: "token-a2").status, 200)
        XCTAssertEqual(try regulator.request("GET", poll, token: "token-b").status, 200, "the other platform untouched")
        XCTAssertEqual(inFlight.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(longPoll.code, 200, "the long poll in flight was answered, not dropped")
        XCTAssertFalse(regulator.log.contains("token-a2"), "no token in the log")

        try writeSecret("[[platform]\n", to: file)
        kill(process.processIdentifier, SIGHUP)
        try waitFor("the broken file refused") { regulator.log.contains("platforms file refused on reload") }
        XCTAssertEqual(try regulator.request("GET", poll, token: "token-a2").status, 200, "the platforms in force stay")
        XCTAssertTrue(process.isRunning)
        process.terminate()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit)
        XCTAssertEqual(process.terminationStatus, 0, regulator.log)
    }

    private func waitFor(_ what: String, timeout: TimeInterval = 20, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            guard Date() < deadline else {
                XCTFail("timed out waiting for \(what)")
                throw CocoaError(.userCancelled)
            }
            usleep(50_000)
        }
    }

    /// SIGHUP re-reads agent.conf: a broken one is refused and the agent goes on with the old; a
    /// good one is applied by re-executing in place — same PID, files still taken, exit 0 at the end.
    func testSIGHUPRefusesABrokenConfigAndAppliesAGoodOneInPlace() throws {
        let agent = try AgentHarness()
        let service = try agent.startService()
        try agent.waitUntil(timeout: 30, "the agent started") { agent.serviceLog.contains("agent started") }
        let good = try String(contentsOfFile: agent.configPath, encoding: .utf8)

        try "[agent\nplatform_id = 1\n".write(toFile: agent.configPath, atomically: true, encoding: .utf8)
        kill(service.processIdentifier, SIGHUP)
        try agent.waitUntil(timeout: 30, "the broken config refused") { agent.serviceLog.contains("agent.conf refused on reload") }
        XCTAssertTrue(service.isRunning)
        try agent.drop(text: "platform_merchant_id,shop_name,entity_type,category\nm-1,小店,enterprise,general\n",
                       name: "merchants-1.csv")
        // (status reads agent.conf too, so the service's log tells.)
        try agent.waitUntil(timeout: 30, "the file applied on the old config") {
            agent.serviceLog.contains("file=merchants-1.csv") && agent.serviceLog.contains("file applied")
        }

        try good.replacingOccurrences(of: "level = \"debug\"", with: "level = \"info\"")
            .write(toFile: agent.configPath, atomically: true, encoding: .utf8)
        kill(service.processIdentifier, SIGHUP)
        try agent.waitUntil(timeout: 30, "re-executed with the new config") {
            agent.serviceLog.components(separatedBy: "agent started").count == 3
        }
        XCTAssertTrue(service.isRunning, "the same process (PID) goes on")
        XCTAssertTrue(agent.serviceLog.contains("restarting in place"))
        try agent.drop(text: "platform_merchant_id,shop_name,entity_type,category\nm-2,二店,enterprise,general\n",
                       name: "merchants-2.csv")
        try agent.waitUntil(timeout: 30, "a file applied after the reload") { (try agent.status().int("files.applied") ?? 0) == 2 }
        service.terminate()
        service.waitUntilExit()
        XCTAssertEqual(service.terminationStatus, 0)
    }

    /// `status` for monitoring: 2 while the service is not running, 0 when it runs and all is well,
    /// 1 once something needs a look (here: a file that could not be read), 2 again after a stop.
    func testStatusExitCodeTellsHealthyDegradedAndDown() throws {
        let agent = try AgentHarness()
        func status() throws -> (Int32, String) {
            let r = try agent.run(["status", "--config", agent.configPath, "--now", agent.today])
            return (r.status, r.stdout)
        }
        var (code, text) = try status()
        XCTAssertEqual(code, 2, text)
        XCTAssertTrue(text.hasPrefix("health          down: the agent is not running"), text)
        let service = try agent.startService()
        try agent.waitUntil(timeout: 30, "the agent started") { agent.serviceLog.contains("agent started") }
        (code, text) = try status()
        XCTAssertEqual(code, 0, text)
        XCTAssertTrue(text.hasPrefix("health          healthy"), text)
        try agent.drop(text: "\u{0}\u{1}\u{2} not an export", name: "merchants-broken.csv")
        try agent.waitUntil(timeout: 30, "the broken file set aside") { agent.count(in: agent.root.appendingPathComponent("state/failed")) > 0 }
        (code, text) = try status()
        XCTAssertEqual(code, 1, text)
        XCTAssertTrue(text.contains("degraded: 1 file(s) failed in the last hour"), text)
        let json = try agent.status()
        XCTAssertEqual(json["health"] as? String, "degraded")
        service.terminate()
        service.waitUntilExit()
        (code, text) = try status()
        XCTAssertEqual(code, 2, text)
    }

    /// `scripts/install` into a DESTDIR: the FHS layout, modes, units with the prefix filled in,
    /// and an upgrade keeps the operator's agent.conf.
    func testInstallIntoADestdirGivesTheFHSLayoutAndKeepsTheConfigOnUpgrade() throws {
        let destdir = FileManager.default.temporaryDirectory.appendingPathComponent("install-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: destdir) }
        try install(into: destdir)
        let fm = FileManager.default
        func mode(_ path: String) throws -> Int {
            (try fm.attributesOfItem(atPath: destdir.path + path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }
        for path in ["/usr/bin/sandbox-agent", "/usr/bin/sandbox-regulator"] {
            XCTAssertTrue(fm.isExecutableFile(atPath: destdir.path + path), path)
        }
        for dir in ["outbox", "state"] {
            XCTAssertEqual(try mode("/var/lib/sandbox-agent/\(dir)"), 0o2770, dir)
        }
        // Sticky as well: the export job may rename only its own files in the inbox, never the work folder.
        XCTAssertEqual(try mode("/var/lib/sandbox-agent/inbox"), 0o3770)
        XCTAssertEqual(try mode("/etc/sandbox-agent/agent.conf"), 0o640)
        XCTAssertTrue(fm.fileExists(atPath: destdir.path + "/usr/share/doc/sandbox-agent/operations.md"))
        XCTAssertTrue(fm.fileExists(atPath: destdir.path + "/usr/share/doc/sandbox-agent/api/openapi.yaml"))
        let unit = try String(contentsOfFile: destdir.path + "/usr/lib/systemd/system/sandbox-agent.service", encoding: .utf8)
        XCTAssertTrue(unit.contains("ExecStart=/usr/bin/sandbox-agent run --config /etc/sandbox-agent/agent.conf"))
        XCTAssertFalse(unit.contains("@PREFIX@"))
        XCTAssertTrue(unit.contains("ReadWritePaths=/var/lib/sandbox-agent"))
        // The installed default config is valid once the platform id is set.
        let check = Process()
        check.executableURL = URL(fileURLWithPath: destdir.path + "/usr/bin/sandbox-agent")
        check.arguments = ["check-config", "--config", destdir.path + "/etc/sandbox-agent/agent.conf"]
        check.standardOutput = FileHandle.nullDevice
        check.standardError = FileHandle.nullDevice
        try check.run()
        check.waitUntilExit()
        XCTAssertEqual(check.terminationStatus, 0, "the shipped agent.conf passes check-config")

        // An upgrade: the operator's config stays, the new default lands beside it.
        try "# mine\n".appending(try String(contentsOfFile: destdir.path + "/etc/sandbox-agent/agent.conf", encoding: .utf8))
            .write(toFile: destdir.path + "/etc/sandbox-agent/agent.conf", atomically: true, encoding: .utf8)
        try install(into: destdir)
        XCTAssertTrue(try String(contentsOfFile: destdir.path + "/etc/sandbox-agent/agent.conf", encoding: .utf8).hasPrefix("# mine"))
        XCTAssertTrue(fm.fileExists(atPath: destdir.path + "/etc/sandbox-agent/agent.conf.dist"))
    }

    /// Both units pass `systemd-analyze verify` (skipped only where systemd-analyze is missing).
    func testUnitsPassSystemdAnalyzeVerify() throws {
        guard let analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first(where: FileManager.default.isExecutableFile) else {
            throw XCTSkip("systemd-analyze is not installed")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("units-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // The prefix is the folder of the built binaries, so ExecStart names real executables.
        let binaries = AgentHarness.binary.deletingLastPathComponent()
        let prefix = folder.appendingPathComponent("prefix")
        try FileManager.default.createDirectory(at: prefix, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: prefix.appendingPathComponent("bin"), withDestinationURL: binaries)
        var units: [String] = []
        for name in ["sandbox-agent.service", "sandbox-regulator.service"] {
            let text = try String(contentsOf: repository.appendingPathComponent("deploy/\(name)"), encoding: .utf8)
                .replacingOccurrences(of: "@PREFIX@", with: prefix.path)
            let path = folder.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            units.append(path)
        }
        let (status, text) = try runToCompletion([analyze, "verify"] + units)
        XCTAssertEqual(status, 0, text)
        XCTAssertFalse(text.contains("sandbox-agent.service:") || text.contains("sandbox-regulator.service:"),
                       "systemd-analyze has remarks on our units:\n\(text)")
    }

    private func install(into destdir: URL) throws {
        let (status, text) = try runToCompletion(
            ["bash", repository.appendingPathComponent("scripts/install").path],
            environment: ["DESTDIR": destdir.path, "PREFIX": "/usr", "INSTALL_BIN_DIR": AgentHarness.binary.deletingLastPathComponent().path])
        XCTAssertEqual(status, 0, text)
    }
}
