import Foundation
import Glibc
import XCTest

/// Shared setup of the regulator-link tests: a real regulator on loopback, agents configured for
/// it, services started and stopped, and the waits every test needs.
class SyncTestCase: XCTestCase {
    var regulator: RegulatorHarness!
    private var services: [Process] = []

    override func setUpWithError() throws {
        regulator = try RegulatorHarness()
        try regulator.start()
    }

    override func tearDownWithError() throws {
        for p in services where p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() }
        services.removeAll()
        regulator = nil
    }

    /// An agent of `platform` that talks to the regulator (or `url`), with a small batch size so
    /// a few thousand merchants make several batches.
    func makeAgent(platform: String = "platform-a", secret: String? = nil, url: String? = nil,
                   batchRecords: Int = 1000, extra: String = "") throws -> AgentHarness {
        let agent = try AgentHarness(platformID: platform)
        try agent.writeConfig(extraConfig: try regulator.agentSection(
            agent, platform: platform, secret: secret, url: url,
            extra: "batch_max_records = \(batchRecords)\nbatch_max_age_ms = 200\n" + extra))
        return agent
    }

    func startService(_ agent: AgentHarness) throws -> Process {
        let p = try agent.startService()
        services.append(p)
        return p
    }

    func stopService(_ p: Process) {
        p.terminate()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "the agent should exit 0 on SIGTERM")
    }

    func kill9(_ p: Process) {
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }

    /// Waits until every file was applied and the feed queue and batches are empty.
    func waitDelivered(_ agent: AgentHarness, files: Int = 1, timeout: TimeInterval = 180) throws {
        try agent.waitUntil(timeout: timeout, "the feed queue is delivered") {
            let s = try agent.status()
            return (s.int("files.applied") ?? 0) >= files && s.int("sync.queued") == 0 && s.int("sync.ready_batches") == 0
        }
    }

    /// Generates `merchants` merchants and drops only the merchants file.
    @discardableResult
    func dropMerchants(_ agent: AgentHarness, _ merchants: Int, seed: Int = 1) throws -> URL {
        let files = try agent.generate(merchants: merchants, seed: seed)
        let file = try XCTUnwrap(files["merchants"])
        let kept = agent.root.appendingPathComponent("copy-" + file.lastPathComponent)
        try FileManager.default.copyItem(at: file, to: kept)
        try agent.drop(file)
        return kept
    }

    /// The regulator's counters must show every item once: what the agent delivered is what the
    /// regulator counted, and the merchant records are the export's.
    func assertCountedOnce(_ agent: AgentHarness, merchants: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let stats = try regulator.stats()
        let status = try agent.status()
        XCTAssertEqual(stats.int("merchant_records"), merchants, "merchant records at the regulator", file: file, line: line)
        XCTAssertEqual(stats.int("items_accepted"), status.int("sync.items_delivered"),
                       "items counted by the regulator = items the agent delivered (none twice)", file: file, line: line)
        XCTAssertEqual(stats.int("items_rejected"), 0, file: file, line: line)
        XCTAssertEqual(status.int("sync.dead_batches"), 0, file: file, line: line)
        // Every merchant with findings at the agent has its findings set at the regulator.
        XCTAssertEqual(stats.int("records_by_type.findings"), status.int("merchants_with_findings"),
                       "findings sets at the regulator", file: file, line: line)
    }
}
