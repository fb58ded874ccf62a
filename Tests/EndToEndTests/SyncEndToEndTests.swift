import Foundation
import Glibc
import TestSupport
import XCTest

/// The regulator link end to end (issue 3): the real agent and the real regulator on 127.0.0.1,
/// killed, faulted, misconfigured — nothing lost, nothing counted twice.
final class SyncEndToEndTests: SyncTestCase {
    /// 2. The regulator is killed (SIGKILL) in the middle of the sync and started again.
    func testRegulatorKilledMidSyncLosesNothingAndCountsNothingTwice() throws {
        let agent = try makeAgent()
        try dropMerchants(agent, 30_000)
        let service = try startService(agent)
        try agent.waitUntil(timeout: 120, "some batches reached the regulator") {
            (try regulator.stats().int("batches_accepted") ?? 0) >= 5
        }
        regulator.kill9()
        // The agent keeps trying against a dead port meanwhile.
        sleep(2)
        XCTAssertGreaterThan(try agent.status().int("sync.ready_batches") ?? 0, 0, "the batch in hand waits for the regulator")
        try regulator.start()
        try waitDelivered(agent)
        try assertCountedOnce(agent, merchants: 30_000)
        XCTAssertTrue(agent.serviceLog.contains("will retry"), "the failed attempts are logged")
        stopService(service)
    }

    /// 3. The agent is killed (SIGKILL) in the middle of the sync and started again.
    func testAgentKilledMidSyncLosesNothingAndCountsNothingTwice() throws {
        let agent = try makeAgent()
        try dropMerchants(agent, 30_000)
        var service = try startService(agent)
        for round in 1...2 {
            try agent.waitUntil(timeout: 120, "more batches reached the regulator (round \(round))") {
                (try regulator.stats().int("batches_accepted") ?? 0) >= 5 * round
            }
            kill9(service)
            service = try startService(agent)
        }
        try waitDelivered(agent)
        try assertCountedOnce(agent, merchants: 30_000)
        stopService(service)
    }

    /// SIGTERM in the middle of a large file while the link is busy: the file in hand is finished
    /// and committed, the batch in flight is finished, the agent exits 0; after a restart
    /// everything is delivered once.
    func testSIGTERMDuringALargeFileFinishesItAndLosesNothing() throws {
        let agent = try makeAgent()
        try dropMerchants(agent, 60_000)
        let service = try startService(agent)
        try agent.waitUntil(timeout: 60, "the file is claimed") { agent.count(in: agent.work) == 1 }
        usleep(300_000)
        XCTAssertEqual(agent.count(in: agent.work), 1, "the file was finished before the stop; the test did not test the stop")
        service.terminate()
        service.waitUntilExit()
        XCTAssertEqual(service.terminationStatus, 0, agent.serviceLog.suffix(2000).description)
        XCTAssertEqual(agent.count(in: agent.work), 0, "the file in hand was finished, not abandoned")
        XCTAssertEqual(try agent.status().int("merchants"), 60_000)
        XCTAssertTrue(agent.serviceLog.contains("agent stopped"))
        let restarted = try startService(agent)
        try waitDelivered(agent)
        try assertCountedOnce(agent, merchants: 60_000)
        stopService(restarted)
    }

    /// 4. 503 with Retry-After, a slow regulator, connection resets before and after the regulator
    /// applied a batch: the agent backs off and delivers everything, once.
    func testFaultsAreRetriedUntilEverythingIsDelivered() throws {
        let proxy = try FaultProxy(upstreamPort: regulator.port, folder: regulator.folder)
        try proxy.setRules([
            ["path_prefix": "/v1/feeds", "action": "status", "status": 503, "headers": ["Retry-After": "1"],
             "body": #"{"error":"maintenance"}"#, "count": 3],
            ["path_prefix": "/v1/feeds", "action": "delay", "seconds": 1.5, "count": 2],
            ["path_prefix": "/v1/feeds", "action": "reset", "count": 2],
            ["path_prefix": "/v1/feeds", "action": "reset_after_forward", "count": 2],
            ["path_prefix": "/v1/feeds", "action": "drop_connection_before", "count": 2],
        ])
        let agent = try makeAgent(url: "http://127.0.0.1:\(proxy.port)")
        try dropMerchants(agent, 12_000)
        let service = try startService(agent)
        try waitDelivered(agent)
        try assertCountedOnce(agent, merchants: 12_000)
        let stats = try regulator.stats()
        // The regulator applied the batches whose answers were cut: the agent's resend was a replay.
        XCTAssertGreaterThanOrEqual(stats.int("batches_duplicate") ?? 0, 1)
        let actions = proxy.requests.compactMap { $0["action"] as? String }
        for fault in ["status", "delay", "reset", "reset_after_forward", "drop_connection_before"] {
            XCTAssertTrue(actions.contains(fault), "the proxy injected \(fault)")
        }
        // After 503 + Retry-After: 1 the next attempt came no sooner than a second later.
        let log = agent.serviceLog
        XCTAssertTrue(log.contains("regulator answered HTTP 503"), log.suffix(2000).description)
        XCTAssertTrue(log.contains("connection reset"))
        stopService(service)
    }

    /// 5. Wrong HMAC secret, then wrong token: 401, reported clearly, the queue kept; with the
    /// right secret the same queue is delivered.
    func testWrongCredentialsAreReportedAndTheQueueIsKept() throws {
        let agent = try makeAgent(secret: "not-the-secret")
        try dropMerchants(agent, 3_000)
        let r = try agent.run(["run", "--once", "--config", agent.configPath, "--now", agent.today])
        XCTAssertEqual(r.status, 75, "left for retry: \(r.stdout) \(r.stderr)")
        XCTAssertTrue(r.stdout.contains("HTTP 401"), r.stdout)
        XCTAssertTrue(r.stdout.contains("X-Sandbox-Signature does not match"), r.stdout)
        XCTAssertFalse((r.stdout + r.stderr).contains("not-the-secret"), "the secret is never printed")
        XCTAssertFalse((r.stdout + r.stderr).contains("token-a"), "the token is never printed")
        let alerts = try agent.outboxLines(prefix: "alert-")
        XCTAssertEqual(alerts.count, 1)
        XCTAssertEqual(alerts.first?["type"] as? String, "credentials_refused")
        let statusText = try agent.run(["status", "--config", agent.configPath])
        XCTAssertFalse(statusText.stdout.contains("not-the-secret") || statusText.stdout.contains("token-a"), "no secret in status")
        XCTAssertTrue(statusText.stdout.contains("HTTP 401"), "status shows why the feed fails: \(statusText.stdout)")
        var status = try agent.status()
        // The refused batch is kept, and at most one more frozen behind it (the freezer stays two ahead).
        XCTAssertTrue((1...2).contains(status.int("sync.ready_batches") ?? 0), "ready batches: \(status["sync"] ?? "")")
        XCTAssertGreaterThan(status.int("sync.queued") ?? 0, 0, "the rest of the queue is kept")
        XCTAssertEqual(status.int("sync.dead_batches"), 0, "a credentials problem is not the batch's fault")
        XCTAssertEqual(try regulator.stats().int("items_accepted"), 0)

        // A wrong token: the same.
        try agent.writeConfig(extraConfig: try regulator.agentSection(agent, extra: "batch_max_records = 1000"))
        try writeSecret("token-b\n", to: agent.root.appendingPathComponent("token"))
        let wrongToken = try agent.run(["run", "--once", "--config", agent.configPath, "--now", agent.today])
        XCTAssertEqual(wrongToken.status, 75)
        XCTAssertTrue(wrongToken.stdout.contains("HTTP 401"), wrongToken.stdout)
        XCTAssertFalse((wrongToken.stdout + wrongToken.stderr).contains("token-b"))

        // Fixed: everything goes, once (the retried batch is the same batch).
        try agent.writeConfig(extraConfig: try regulator.agentSection(agent, extra: "batch_max_records = 1000"))
        try agent.runOnce()
        status = try agent.status()
        XCTAssertEqual(status.int("sync.ready_batches"), 0)
        XCTAssertEqual(status.int("sync.queued"), 0)
        try assertCountedOnce(agent, merchants: 3_000)
    }

    /// 6. Platform A cannot read platform B's directives, nor any profile, nor file records as B.
    func testPlatformsSeeOnlyTheirOwnData() throws {
        let forB = try regulator.createDirective(platform: "platform-b", type: "warning", merchantID: "b-1",
                                                 payload: ["reason": "仅平台B可见"])
        let forA = try regulator.createDirective(platform: "platform-a", type: "guidance", merchantID: "a-1",
                                                 payload: ["reason": "平台A的指导"])
        let agentA = try makeAgent(platform: "platform-a")
        try dropMerchants(agentA, 200)
        try agentA.runOnce()
        let aFiles = try agentA.outboxLines(prefix: "guidance-") + agentA.outboxLines(prefix: "warning-")
        XCTAssertEqual(aFiles.map { $0["instruction_id"] as? String }, [forA])

        let agentB = try makeAgent(platform: "platform-b")
        try agentB.runOnce()
        XCTAssertEqual(try agentB.outboxLines(prefix: "warning-").map { $0["instruction_id"] as? String }, [forB])
        XCTAssertTrue(try agentB.outboxFiles(prefix: "guidance-").isEmpty)

        // Directly on the API with A's token.
        let listed = try regulator.request("GET", "/v1/directives?after=0", token: "token-a").json
        let ids = (listed["directives"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        XCTAssertEqual(ids, [forA])
        let uscc = try XCTUnwrap(firstUSCC(agentA))
        XCTAssertEqual(try regulator.request("GET", "/v1/admin/merchants/\(uscc)", token: "token-a").status, 403)
        XCTAssertEqual(try regulator.request("GET", "/v1/admin/directives/\(forB)", token: "token-a").status, 403)
        XCTAssertEqual(try regulator.request("GET", "/v1/admin/merchants/\(uscc)").status, 200, "staff see the profile")
        XCTAssertEqual(try regulator.stats().int("platforms.platform-a.merchant_records"), 200)
    }

    /// 8. A directive created by staff arrives as an outbox file while the agent runs (long poll);
    /// its receipt dropped in the inbox reaches the regulator.
    func testDirectiveArrivesAsAFileAndItsReceiptReachesTheRegulator() throws {
        let agent = try makeAgent()
        let service = try startService(agent)
        // Let the first long poll start, so the directive has to wake it.
        try agent.waitUntil(timeout: 30, "the first directive poll") { try agent.status().int("sync.last_directive_poll_at") != nil }
        let created = Date()
        let id = try regulator.createDirective(
            platform: "platform-a", type: "suspend", merchantID: "1000000001", uscc: "91510116MA6000008M",
            payload: ["rule_id": "RL-03", "reason": "登记已变更但店铺仍展示旧营业执照信息", "basis": "《电子商务法》第十五条",
                      "deadline": "2026-12-01", "evidence": [["field": "displayed_name", "old": "旧名", "new": "新名"]]])
        try agent.waitUntil(timeout: 30, "the suspend instruction in the outbox") { try !agent.outboxFiles(prefix: "suspend-").isEmpty }
        XCTAssertLessThan(Date().timeIntervalSince(created), 15, "the long poll delivers at once, not at the next poll")
        let line = try XCTUnwrap(try agent.outboxLines(prefix: "suspend-").first)
        XCTAssertEqual(line["instruction_id"] as? String, id)
        XCTAssertEqual(line["platform_merchant_id"] as? String, "1000000001")
        XCTAssertEqual(line["uscc"] as? String, "91510116MA6000008M")
        XCTAssertEqual(line["rule_id"] as? String, "RL-03")
        XCTAssertEqual(line["basis"] as? String, "《电子商务法》第十五条")
        XCTAssertEqual(line["deadline"] as? String, "2026-12-01")
        XCTAssertEqual(line["receipt_expected"] as? Bool, true)
        XCTAssertNotNil(line["issued_at"] as? String)

        try agent.drop(text: "receipt_id,instruction_id,platform_merchant_id,action,at,note\n"
                       + "rc-1,\(id),1000000001,executed,2026-11-21 10:00,已暂停服务\n", name: "receipts-platform-a-1.csv")
        try agent.waitUntil(timeout: 60, "the receipt at the regulator") {
            let status = try regulator.request("GET", "/v1/admin/directives/\(id)").json
            return ((status["receipts"] as? [[String: Any]]) ?? []).contains { $0["receipt_id"] as? String == "rc-1" }
        }
        stopService(service)
        // Restarted, the agent does not write the same directive again.
        try agent.runOnce()
        XCTAssertEqual(try agent.outboxFiles(prefix: "suspend-").count, 1)
    }

    /// Offline (`url` empty): the same batches go to the outbox as feed-*.jsonl.gz; nothing else changes.
    func testOfflineModeWritesFeedFilesToTheOutbox() throws {
        let agent = try AgentHarness(platformID: "platform-a", extraConfig: "[regulator]\nurl = \"\"\nbatch_max_records = 1500")
        try dropMerchants(agent, 4_000)
        let r = try agent.runOnce()
        XCTAssertTrue(r.stdout.contains("offline"), r.stdout)
        let files = try agent.outboxFiles(prefix: "feed-")
        XCTAssertGreaterThanOrEqual(files.count, 3)
        var merchants = Set<String>()
        for f in files {
            XCTAssertTrue(f.lastPathComponent.hasSuffix(".jsonl.gz"))
            for line in try GzipReading.jsonLines(file: f) where line["type"] as? String == "merchant" {
                XCTAssertEqual(line["platform_id"] as? String, "platform-a")
                merchants.insert(line["key"] as? String ?? "")
            }
        }
        XCTAssertEqual(merchants.count, 4_000)
        // Unchanged state: no new feed file on the next run.
        try agent.runOnce()
        XCTAssertEqual(try agent.outboxFiles(prefix: "feed-").count, files.count)
        let status = try agent.status()
        XCTAssertEqual(status.int("sync.queued"), 0)
        XCTAssertEqual(status["sync"].flatMap { ($0 as? [String: Any])?["mode"] as? String }, "offline")
    }

    /// A 4xx the regulator will always give (here 413 from a front proxy) makes a dead letter
    /// with an alert; the rest goes on; `dead-letters --requeue` sends it again later.
    func testARefusedBatchBecomesADeadLetterAndCanBeRequeued() throws {
        let proxy = try FaultProxy(upstreamPort: regulator.port, folder: regulator.folder)
        try proxy.setRules([["path_prefix": "/v1/feeds", "action": "status", "status": 413,
                             "body": #"{"error":"body too large for this front end"}"#, "count": 1]])
        let agent = try makeAgent(url: "http://127.0.0.1:\(proxy.port)")
        try dropMerchants(agent, 2_500)
        try agent.runOnce()
        let alerts = try agent.outboxLines(prefix: "alert-")
        XCTAssertEqual(alerts.map { $0["type"] as? String }, ["feed_dead_letter"])
        XCTAssertTrue((alerts.first?["reason"] as? String ?? "").contains("413"))
        var status = try agent.status()
        XCTAssertEqual(status.int("sync.dead_batches"), 1)
        XCTAssertEqual(status.int("sync.queued"), 0, "the other batches went on")
        let list = try agent.run(["dead-letters", "--config", agent.configPath])
        XCTAssertTrue(list.stdout.contains("HTTP 413"), list.stdout)
        let requeue = try agent.run(["dead-letters", "--requeue", "--config", agent.configPath])
        XCTAssertTrue(requeue.stdout.contains("requeued 1"), requeue.stdout)
        try agent.runOnce()
        status = try agent.status()
        XCTAssertEqual(status.int("sync.dead_batches"), 0)
        try assertCountedOnce(agent, merchants: 2_500)
    }

    private func firstUSCC(_ agent: AgentHarness) throws -> String? {
        let stats = try regulator.stats()
        XCTAssertGreaterThan(stats.int("distinct_uscc") ?? 0, 0)
        let file = try XCTUnwrap(try agent.outboxFiles(prefix: "verification-").first)
        for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
            if let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let u = o["uscc"] as? String {
                return u
            }
        }
        return nil
    }
}
