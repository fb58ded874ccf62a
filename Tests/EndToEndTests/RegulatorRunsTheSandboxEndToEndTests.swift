import Foundation
import XCTest

/// Issue 12's acceptance, end to end with the real binaries: two agents for two platforms that
/// share an enterprise, one regulator, the clock moved through July by `run --once --now DAY`.
/// The regulator runs the sandbox: it decides the roster per enterprise and the agents apply it;
/// a suspension waits for the district officer; an art. 33 recommendation becomes an officer's
/// decision; a lead is worked to 结案 and its penalty shows in the class; a district officer
/// cannot read another district's enterprise; an association sees only its members; a repair
/// application from a platform reaches the listing authority; and every one of these staff
/// actions is in the audit trail.
final class RegulatorRunsTheSandboxEndToEndTests: SyncTestCase {
    typealias P = PolicyEndToEndTests
    /// 锦江区 (510104), on both platforms: class A on platform-a, class C on platform-b.
    static let shared = "91510104MA6CX0009U"
    /// 锦江区, platform-a only: a display defect rectified in time.
    static let fixed = "91510104MA6CF0000K"
    /// 锦江区, platform-a only: a display defect never rectified.
    static let stuck = "91510104MA6CT0007E"
    static let password = "correct horse battery"

    func json(_ object: [String: Any]) throws -> Data { try JSONSerialization.data(withJSONObject: object) }
    func text(_ a: RegulatorHarness.Answer) -> String { String(decoding: a.body, as: UTF8.self) }

    func day(_ agent: AgentHarness, _ date: String) throws {
        let r = try agent.run(["run", "--once", "--config", agent.configPath, "--now", date])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
    }

    func policyAgent(_ platform: String) throws -> AgentHarness {
        let agent = try AgentHarness(platformID: platform)
        let policy = try P.policySection(for: agent)
        try agent.writeConfig(extraConfig: try regulator.agentSection(agent, platform: platform) + "\n" + policy)
        return agent
    }

    /// A staff account made by the admin, logged in: its session token.
    func staff(_ username: String, role: String, district: String? = nil, association: String? = nil) throws -> String {
        var fields: [String: Any] = ["username": username, "role": role, "password": Self.password]
        if let district { fields["district"] = district }
        if let association { fields["association"] = association }
        var a = try regulator.request("POST", "/v1/admin/staff", body: try json(fields))
        XCTAssertEqual(a.status, 201, text(a))
        a = try regulator.request("POST", "/v1/staff/login", token: nil, body: try json(["username": username, "password": Self.password]))
        return try XCTUnwrap(a.json["token"] as? String, text(a))
    }

    /// The platform's directives of `type` so far, as the platform's agent would pull them.
    func directives(_ platform: String, _ type: String) throws -> [[String: Any]] {
        let token = RegulatorHarness.platforms.first { $0.0 == platform }!.1
        let a = try regulator.request("GET", "/v1/directives?after=0", token: token)
        return (a.json["directives"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == type }
    }

    func rosterEntry(_ uscc: String) throws -> [String: Any] {
        let a = try regulator.request("GET", "/v1/admin/roster?uscc=\(uscc)")
        return try XCTUnwrap((a.json["entries"] as? [[String: Any]])?.first, text(a))
    }

    func testTheRegulatorRunsTheSandboxWithTwoPlatforms() throws {
        let a = try policyAgent("platform-a"), b = try policyAgent("platform-b")
        try a.drop(text: P.registryHeader + [Self.shared, Self.fixed, Self.stuck].enumerated().map { i, u in
            "\(u),公司\(i),张三,成都市锦江区一号,存续,否,否,2025\n" }.joined(), name: "registry-1.csv")
        try a.drop(text: P.merchantHeader + P.merchant("m-x", Self.shared, "公司0", displayed: "是")
                   + P.merchant("m-fix", Self.fixed, "公司1", displayed: "否") + P.merchant("m-stuck", Self.stuck, "公司2", displayed: "否"),
                   name: "merchants-1.csv")
        // platform-b's registry extract already has the enterprise on the abnormal operations
        // list (platform-a's does not yet): platform-b rates its storefront C.
        try b.drop(text: P.registryHeader + "\(Self.shared),公司0,张三,成都市锦江区一号,存续,是,否,2025\n", name: "registry-1.csv")
        try b.drop(text: P.merchantHeader + P.merchant("n-x", Self.shared, "公司0", displayed: "是"), name: "merchants-1.csv")
        try day(a, "2026-07-01")
        try day(b, "2026-07-01")
        XCTAssertEqual(try a.outboxLines(prefix: "sandbox-").compactMap { $0["platform_merchant_id"] as? String }, ["m-x"],
                       "platform-a's agent admits its storefront: its own view")
        XCTAssertTrue(try b.outboxLines(prefix: "sandbox-").isEmpty)

        // 1. The roster is one list per enterprise, decided by the regulator: class C on
        // platform-b keeps the enterprise out, and platform-a is told so.
        try a.waitUntil(timeout: 30, "the regulator's verdict for platform-a") {
            try !self.directives("platform-a", "sandbox").isEmpty
        }
        let verdict = try XCTUnwrap(try directives("platform-a", "sandbox").first)
        XCTAssertEqual(verdict["uscc"] as? String, Self.shared)
        XCTAssertEqual((verdict["payload"] as? [String: Any])?["verdict"] as? String, "not_member")
        XCTAssertTrue(try directives("platform-b", "sandbox").isEmpty, "platform-b proposes nothing: it hears nothing")
        var entry = try rosterEntry(Self.shared)
        XCTAssertEqual(entry["member"] as? Bool, false)
        XCTAssertEqual(entry["proposed_by"] as? [String], ["platform-a"])
        XCTAssertTrue((entry["not_member_because"] as? [String] ?? []).contains { $0.contains("platform-b storefront n-x is rated class C") },
                      "\(entry)")
        try day(a, "2026-07-02")   // pulls the verdict after its pass
        let told = try a.outboxLines(prefix: "sandbox-").filter { $0["source"] as? String == "regulator" }
        XCTAssertEqual(told.first?["verdict"] as? String, "not_member", "the platform reads the regulator's decision")
        try day(a, "2026-07-03")   // applies it
        let roster = try a.run(["report", "roster", "--csv", "--config", a.configPath])
        XCTAssertFalse(roster.stdout.contains("m-x"), "platform-a applies the regulator's decision:\n\(roster.stdout)")
        entry = try rosterEntry(Self.shared)
        let proposal = (entry["platforms"] as? [[String: Any]] ?? []).first { $0["platform_id"] as? String == "platform-a" }
        XCTAssertEqual(proposal?["member"] as? Bool, true, "what the regulator reads is platform-a's proposal, not what it applies")
        XCTAssertEqual(entry["member"] as? Bool, false)

        // 2. 首违不罚: the agent's recommendation becomes the district officer's decision, and only
        // that reaches the merchant.
        let jinjiang = try staff("jinjiang-1", role: "district", district: "510104")
        try a.drop(text: P.merchantHeader + P.merchant("m-fix", Self.fixed, "公司1", displayed: "是"), name: "merchants-2.csv")
        try day(a, "2026-07-05")
        var r = try regulator.request("GET", "/v1/admin/determinations", token: jinjiang)
        let recommendation = try XCTUnwrap((r.json["recommendations"] as? [[String: Any]])?.first { $0["uscc"] as? String == Self.fixed }, text(r))
        let fixCase = try XCTUnwrap(recommendation["case_id"] as? String)
        XCTAssertTrue(try a.outboxLines(prefix: "directive-").isEmpty, "nothing for the merchant before the officer decides")
        r = try regulator.request("POST", "/v1/admin/determinations/platform-a/\(fixCase)", token: jinjiang,
                                  body: try json(["decision": "no_penalty"]))
        XCTAssertEqual(r.status, 201, text(r))
        try day(a, "2026-07-06")
        let decision = try XCTUnwrap(try a.outboxLines(prefix: "directive-").first { $0["type"] as? String == "determination" })
        XCTAssertEqual(decision["platform_merchant_id"] as? String, "m-fix")
        XCTAssertEqual(decision["decision"] as? String, "no_penalty")
        XCTAssertNotNil(decision["education_note"] as? String, "\(decision)")

        // 3. The suspension waits for the district officer, and lands only after the confirmation.
        for date in ["2026-07-12", "2026-07-20"] { try day(a, date) }
        XCTAssertTrue(try a.outboxFiles(prefix: "suspend-").isEmpty, "proposed, not written")
        r = try regulator.request("GET", "/v1/admin/proposals", token: jinjiang)
        let proposed = try XCTUnwrap((r.json["proposals"] as? [[String: Any]])?.first { $0["uscc"] as? String == Self.stuck }, text(r))
        let stuckCase = try XCTUnwrap(proposed["case_id"] as? String)
        r = try regulator.request("POST", "/v1/admin/proposals/platform-a/\(stuckCase)", token: jinjiang, body: try json(["decision": "confirm"]))
        XCTAssertEqual(r.status, 201, text(r))
        try day(a, "2026-07-20")   // pulls the confirmation
        XCTAssertTrue(try a.outboxFiles(prefix: "suspend-").isEmpty)
        try day(a, "2026-07-21")
        XCTAssertEqual(try a.outboxLines(prefix: "suspend-").map { $0["platform_merchant_id"] as? String }, ["m-stuck"])

        // 4. The lead goes offline and is worked to 结案; the penalty returns to the platform as an
        // event and shows in the class.
        XCTAssertEqual(try rosterClass(Self.stuck, "platform-a"), "A", "an open case alone leaves the class")
        for step: [String: Any] in [["action": "verify", "note": "现场核查：店铺首页未亮照属实"], ["action": "file", "note": "成市监立〔2026〕12号"],
                                    ["action": "close", "measure": "警告、罚款", "penalty_fen": 500_000, "note": "已结案"]] {
            r = try regulator.request("POST", "/v1/admin/leads/platform-a/\(stuckCase)/steps", token: jinjiang, body: try json(step))
            XCTAssertEqual(r.status, 201, text(r))
        }
        // The event happened when the officer closed the lead (now, by the real clock): the
        // agent's days move on to then.
        let shanghai = DateFormatter()
        shanghai.dateFormat = "yyyy-MM-dd"
        shanghai.timeZone = TimeZone(identifier: "Asia/Shanghai")
        try day(a, shanghai.string(from: Date()))                      // pulls the penalty event
        try day(a, shanghai.string(from: Date().addingTimeInterval(86_400)))   // counts it
        XCTAssertNotEqual(try rosterClass(Self.stuck, "platform-a"), "A", "the penalty counts in the class")

        // 5. Another district's officer cannot read the enterprise: 404, audited.
        let wuhou = try staff("wuhou-1", role: "district", district: "510107")
        r = try regulator.request("GET", "/v1/admin/merchants/\(Self.shared)", token: wuhou)
        XCTAssertEqual(r.status, 404)
        r = try regulator.request("GET", "/v1/admin/merchants/\(Self.shared)", token: jinjiang)
        XCTAssertEqual(r.status, 200)

        // 6. An association sees its members only.
        r = try regulator.request("POST", "/v1/admin/associations/food/members", body: try json(["usccs": [Self.shared]]))
        XCTAssertEqual(r.status, 200, text(r))
        let food = try staff("food-assoc", role: "association", association: "food")
        XCTAssertEqual(try regulator.request("GET", "/v1/admin/merchants/\(Self.shared)", token: food).status, 200)
        XCTAssertEqual(try regulator.request("GET", "/v1/admin/merchants/\(Self.stuck)", token: food).status, 404)

        // 7. 信用修复 from the platform: platform-b's merchant answers the repair guide (PR-05)
        // with its application; the receipt reaches the listing authority's queue.
        let guide = try XCTUnwrap(try b.outboxLines(prefix: "prompt-").first { $0["prompt_id"] as? String == "PR-05" },
                                  "the repair guide for a listed merchant")
        let guideID = try XCTUnwrap(guide["instruction_id"] as? String)
        try b.drop(text: "receipt_id,instruction_id,platform_merchant_id,action,at,note\n"
                   + "rb-1,\(guideID),n-x,信用修复申请,2026-07-02T10:00:00+08:00,经营异常名录：已提交信用修复申请书和守信承诺书\n",
                   name: "receipts-1.csv")
        try day(b, "2026-07-02")
        r = try regulator.request("GET", "/v1/admin/repairs", token: jinjiang)
        let application = try XCTUnwrap((r.json["repairs"] as? [[String: Any]])?.first { $0["uscc"] as? String == Self.shared }, text(r))
        XCTAssertEqual(application["state"] as? String, "pending")
        XCTAssertEqual(application["list"] as? String, "abnormal_list")
        XCTAssertEqual(application["source"] as? String, "platform platform-b receipt rb-1 (\(guideID))")

        // 8. Every one of these staff actions is in the audit trail.
        r = try regulator.request("GET", "/v1/admin/audit?limit=1000")
        let trail = (r.json["entries"] as? [[String: Any]] ?? []).map {
            "\($0["actor"] ?? "") \($0["action"] ?? "") \($0["subject"] as? String ?? "-") \($0["outcome"] ?? "")"
        }
        for expected in ["jinjiang-1 POST /v1/admin/determinations/{platform}/{case} \(fixCase) ok",
                         "jinjiang-1 POST /v1/admin/proposals/{platform}/{case} \(stuckCase) ok",
                         "jinjiang-1 POST /v1/admin/leads/{platform}/{case}/steps \(stuckCase) ok",
                         "wuhou-1 GET /v1/admin/merchants/{uscc} \(Self.shared) denied",
                         "jinjiang-1 GET /v1/admin/merchants/{uscc} \(Self.shared) ok",
                         "food-assoc GET /v1/admin/merchants/{uscc} \(Self.shared) ok",
                         "food-assoc GET /v1/admin/merchants/{uscc} \(Self.stuck) denied"] {
            XCTAssertTrue(trail.contains(expected), "\(expected) missing from the trail:\n\(trail.joined(separator: "\n"))")
        }
    }

    /// The class platform-`platform` gives its storefront of `uscc`, as the regulator has it.
    func rosterClass(_ uscc: String, _ platform: String) throws -> String? {
        let a = try regulator.request("GET", "/v1/admin/roster?uscc=\(uscc)")
        let entry = (a.json["entries"] as? [[String: Any]])?.first
        return (entry?["platforms"] as? [[String: Any]])?.first { $0["platform_id"] as? String == platform }?["class"] as? String
    }
}
