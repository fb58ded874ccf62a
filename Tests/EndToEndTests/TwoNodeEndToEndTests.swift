import Foundation
import Glibc
import SandboxAgent
import XCTest

/// Two regulator nodes on one PostgreSQL (issue 15): any node serves any platform, a node killed
/// with SIGKILL in the middle of a batch loses nothing and counts nothing twice, and a directive
/// written on one node wakes a long poll waiting on the other. Needs the throwaway cluster that
/// scripts/test starts (SANDBOX_E2E_POSTGRES); skipped without it.
final class TwoNodeEndToEndTests: XCTestCase {
    private var services: [Process] = []

    override func tearDownWithError() throws {
        for p in services where p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() }
    }

    func testTwoNodesDeliverEverythingOnceWhenOneIsKilledMidBatch() throws {
        let url = try Self.emptyDatabase()
        let nodeA = try RegulatorHarness(), nodeB = try RegulatorHarness()
        nodeA.database = url
        nodeB.database = url
        try nodeA.start()
        try nodeB.start()

        // Platform A's agent talks to node A, platform B's to node B.
        let agentA = try makeAgent(platform: "platform-a", node: nodeA)
        let agentB = try makeAgent(platform: "platform-b", node: nodeB)
        try dropMerchants(agentA, 12_000, seed: 1)
        try dropMerchants(agentB, 12_000, seed: 2)
        let serviceA = try agentA.startService(), serviceB = try agentB.startService()
        services += [serviceA, serviceB]

        // Either node answers for the whole database: wait on B until A's agent is under way.
        try agentA.waitUntil(timeout: 180, "some of platform A's batches reached node A") {
            Self.platformCount(try nodeB.stats(), "platform-a", "batches_accepted") >= 3
        }
        nodeA.kill9()
        sleep(1)
        try nodeA.start()

        for agent in [agentA, agentB] {
            try agent.waitUntil(timeout: 240, "the feed queue is delivered") {
                let s = try agent.status()
                return (s.int("files.applied") ?? 0) >= 1 && s.int("sync.queued") == 0 && s.int("sync.ready_batches") == 0
            }
        }
        let stats = try nodeA.stats()
        XCTAssertEqual(stats.int("merchant_records"), 24_000, "every merchant of both platforms, once")
        for (agent, platform) in [(agentA, "platform-a"), (agentB, "platform-b")] {
            let delivered = try agent.status().int("sync.items_delivered")
            XCTAssertEqual(Self.platformCount(stats, platform, "items_accepted"), delivered,
                           "\(platform): items counted by the regulator = items its agent delivered (none twice)")
            XCTAssertEqual(Self.platformCount(stats, platform, "merchant_records"), 12_000)
            XCTAssertEqual(try agent.status().int("sync.dead_batches"), 0)
        }
        XCTAssertEqual(stats.int("items_rejected"), 0)
        // Both nodes read one database: the same figures from B.
        XCTAssertEqual(try nodeB.stats().int("items_accepted"), stats.int("items_accepted"))

        // A directive written on node B wakes platform A's long poll on node A (LISTEN/NOTIFY):
        // the poll waits up to 30 s; it must come back with the directive long before that.
        let cursor = try Self.directiveCursor(nodeA, token: "token-a")
        let poll = LongPoll(node: nodeA, token: "token-a", after: cursor, wait: 30)
        poll.start()
        sleep(1)
        let id = try nodeB.createDirective(platform: "platform-a", type: "notice", payload: ["text": "from node B"])
        let answer = try XCTUnwrap(poll.result(timeout: 40), "the long poll on node A never returned")
        XCTAssertEqual(answer.status, 200)
        let ids = (answer.json["directives"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        XCTAssertEqual(ids, [id], "the poll on node A returned the directive written on node B")
        XCTAssertLessThan(poll.seconds, 20, "woken by the notification, not by the poll's 30 s timeout")

        for service in services { service.terminate(); service.waitUntilExit() }
    }

    // MARK: Helpers

    /// The cluster's test database, emptied (each test starts from nothing).
    static func emptyDatabase() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["SANDBOX_E2E_POSTGRES"], !url.isEmpty else {
            throw XCTSkip("needs PostgreSQL: scripts/test starts a throwaway cluster and sets SANDBOX_E2E_POSTGRES")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c",
                       "SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public;"]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "psql could not empty the test database")
        return url
    }

    private func makeAgent(platform: String, node: RegulatorHarness) throws -> AgentHarness {
        let agent = try AgentHarness(platformID: platform)
        try agent.writeConfig(extraConfig: try node.agentSection(
            agent, platform: platform, extra: "batch_max_records = 1000\nbatch_max_age_ms = 200\n"))
        return agent
    }

    private func dropMerchants(_ agent: AgentHarness, _ merchants: Int, seed: Int) throws {
        let files = try agent.generate(merchants: merchants, seed: seed)
        try agent.drop(try XCTUnwrap(files["merchants"]))
    }

    static func platformCount(_ stats: [String: Any], _ platform: String, _ field: String) -> Int {
        let platforms = stats["platforms"] as? [String: Any]
        return ((platforms?[platform] as? [String: Any])?[field] as? Int) ?? 0
    }

    static func directiveCursor(_ node: RegulatorHarness, token: String) throws -> Int {
        let a = try node.request("GET", "/v1/directives?after=0", token: token)
        XCTAssertEqual(a.status, 200)
        return a.json["next_cursor"] as? Int ?? 0
    }

    /// A long poll on its own thread, timed.
    final class LongPoll: @unchecked Sendable {
        let node: RegulatorHarness, token: String, after: Int, wait: Int
        private let done = DispatchSemaphore(value: 0)
        private var answer: RegulatorHarness.Answer?
        private(set) var seconds: Double = 0

        init(node: RegulatorHarness, token: String, after: Int, wait: Int) {
            (self.node, self.token, self.after, self.wait) = (node, token, after, wait)
        }

        func start() {
            Thread.detachNewThread { [self] in
                let began = Date()
                let connection = try? RegulatorConnection(endpoint: RegulatorEndpoint(baseURL: node.url))
                let r = try? connection?.send(HTTPRequest(
                    method: .get, path: "/v1/directives", query: [("after", String(after)), ("wait", String(wait))],
                    headers: [("Authorization", "Bearer \(token)")], body: [], timeoutSeconds: Double(wait + 10)))
                seconds = Date().timeIntervalSince(began)
                answer = r.map { RegulatorHarness.Answer(status: $0.status, body: Data($0.body)) }
                done.signal()
            }
        }

        func result(timeout: Int) -> RegulatorHarness.Answer? {
            done.wait(timeout: .now() + .seconds(timeout)) == .success ? answer : nil
        }
    }
}
