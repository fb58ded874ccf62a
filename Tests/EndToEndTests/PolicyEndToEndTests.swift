import Foundation
import XCTest

/// The sandbox policy end to end (issue 4): the real agent with a signed Chengdu pack, driven by
/// `run --once --now DAY` on successive days, as a compliance team rehearses a month in a minute.
final class PolicyEndToEndTests: XCTestCase {
    static let merchantHeader = "platform_merchant_id,shop_name,entity_type,uscc,registered_name,legal_representative,"
        + "registered_address,displayed_name,displayed_uscc,displayed_address,licence_displayed,category,verified_at,opened_at,status\n"
    static let registryHeader = "uscc,name,legal_representative,address,registration_status,abnormal_list,serious_violation_list,last_annual_report_year\n"
    // Registered in Chengdu (锦江区, 武侯区, 青羊区): the sandbox admits 本地企业 only (ADM-08).
    static let companies = [("m-clean", "91510104MA6CJJ0124", "甲公司"), ("m-fix", "91510107MA6CWH0263", "乙公司"),
                            ("m-stuck", "91510105MA6CQY038C", "丙公司")]

    /// A merchant row that is clean except for `displayed` (是/否).
    static func merchant(_ id: String, _ uscc: String, _ name: String, displayed: String, verified: String = "2026-06-20") -> String {
        "\(id),\(name)旗舰店,enterprise,\(uscc),\(name),张三,成都市锦江区一号,\(name),\(uscc),成都市锦江区一号,\(displayed),general,\(verified),2024-01-01,active\n"
    }

    static var repositoryRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return url
    }

    /// An agent with [policy] and the repository's pack, signed by a key made for the test.
    func makeAgent(packText: String? = nil, name: String = "pack.toml") throws -> AgentHarness {
        let h = try AgentHarness()
        try h.writeConfig(extraConfig: try Self.policySection(for: h, packText: packText, name: name))
        return h
    }

    /// The `[policy]` section of an agent, with the pack (the repository's unless `packText`)
    /// signed by a key made for the test, both written beside the agent.
    static func policySection(for h: AgentHarness, packText: String? = nil, name: String = "pack.toml") throws -> String {
        let regulator = RegulatorHarness.binary.path
        let key = h.root.appendingPathComponent("key").path
        XCTAssertEqual(try tool(regulator, ["rulepack", "keygen", "--out", key]).status, 0)
        let pack = h.root.appendingPathComponent(name)
        let text = try packText ?? String(contentsOf: repositoryRoot.appendingPathComponent("rulepacks/chengdu-2026.1.toml"), encoding: .utf8)
        try text.write(to: pack, atomically: true, encoding: .utf8)
        let signed = try tool(regulator, ["rulepack", "sign", pack.path, "--key", key])
        XCTAssertEqual(signed.status, 0, signed.out)
        return """
            [policy]
            pack_id = "chengdu"
            trusted_keys_file = "key.pub"
            pack_file = "\(name)"
            """
    }

    func run(_ binary: String, _ arguments: [String]) throws -> (status: Int32, out: String) {
        try Self.tool(binary, arguments)
    }

    /// Runs a binary to its end; status and stdout+stderr.
    static func tool(_ binary: String, _ arguments: [String]) throws -> (status: Int32, out: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @discardableResult
    func day(_ h: AgentHarness, _ date: String) throws -> AgentHarness.Result {
        let r = try h.run(["run", "--once", "--no-sync", "--config", h.configPath, "--now", date])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        return r
    }

    func lines(_ h: AgentHarness, _ prefix: String, merchant: String) throws -> [[String: Any]] {
        try h.outboxLines(prefix: prefix).filter { $0["platform_merchant_id"] as? String == merchant }
    }

    func testAMonthOfCasesRectifiedInTimeOverdueThroughTheLadderAndTheRoster() throws {
        let h = try makeAgent()
        var registry = Self.registryHeader
        var merchants = Self.merchantHeader
        for (id, uscc, name) in Self.companies {
            registry += "\(uscc),\(name),张三,成都市锦江区一号,存续,否,否,2025\n"
            merchants += Self.merchant(id, uscc, name, displayed: id == "m-clean" ? "是" : "否")
        }
        try h.drop(text: registry, name: "registry-1.csv")
        try h.drop(text: merchants, name: "merchants-1.csv")
        let first = try day(h, "2026-07-01")
        XCTAssertTrue(first.stdout.contains("policy chengdu-2026.1: 3 merchant(s)"), first.stdout)

        // Two RL-02 cases: guidance with the deadline (opening day not counted: 07-01 + 10 days).
        let guidance = try h.outboxLines(prefix: "guidance-")
        XCTAssertEqual(guidance.compactMap { $0["platform_merchant_id"] as? String }.sorted(), ["m-fix", "m-stuck"])
        for g in guidance {
            XCTAssertEqual(g["rule_id"] as? String, "RL-02")
            XCTAssertEqual(g["type"] as? String, "guidance")
            XCTAssertEqual(g["deadline"] as? String, "2026-07-11")
            XCTAssertEqual(g["deadline_end"] as? String, "2026-07-11T16:00:00Z")
            XCTAssertEqual(g["receipt_expected"] as? Bool, true)
            XCTAssertEqual(g["pack_version"] as? String, "chengdu-2026.1")
            XCTAssertEqual(g["basis"] as? String, "《中华人民共和国电子商务法》第十五条、第七十六条")
            // The shop name and USCC the export gave (the facts hold both for the lines).
            let company = try XCTUnwrap(Self.companies.first { $0.0 == g["platform_merchant_id"] as? String })
            XCTAssertEqual(g["shop_name"] as? String, company.2 + "旗舰店")
            XCTAssertEqual(g["uscc"] as? String, company.1)
            let evidence = try XCTUnwrap(g["evidence"] as? [[String: Any]])
            XCTAssertTrue(evidence.contains { $0["source"] as? String == "LICENCE_NOT_DISPLAYED" }, "\(evidence)")
        }
        // The clean merchant enters the sandbox; the two with an open case do not.
        let admitted = try h.outboxLines(prefix: "sandbox-")
        XCTAssertEqual(admitted.map { $0["platform_merchant_id"] as? String }, ["m-clean"])
        XCTAssertEqual(admitted.first?["decision"] as? String, "admitted")
        XCTAssertEqual(admitted.first?["shop_name"] as? String, "甲公司旗舰店")
        XCTAssertEqual((admitted.first?["criteria"] as? [[String: Any]])?.count, 8, "ADM-01…08")
        XCTAssertEqual((admitted.first?["criteria"] as? [[String: Any]])?.first?["id"] as? String, "ADM-01")
        XCTAssertNil((admitted.first?["criteria"] as? [[String: Any]])?.first?["text"], "an admission lists its criteria by id")
        // The decisions' history is the audit trail's (issue 16, session 36: `class_history` and
        // `roster_history` kept the same records again): the admission names its notice and
        // carries the roster item; the class change carries its summary.
        let trail = try h.run(["audit", "--merchant", "m-clean", "--json", "--config", h.configPath])
        XCTAssertEqual(trail.status, 0, trail.stderr)
        let events = trail.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let admission = try XCTUnwrap(events.first { $0["kind"] as? String == "roster_admitted" }, trail.stdout)
        XCTAssertEqual(admission["subject"] as? String, admitted.first?["instruction_id"] as? String, "the notice it sent")
        let item = try XCTUnwrap(admission["record"] as? [String: Any])
        XCTAssertEqual(item["member"] as? Bool, true)
        XCTAssertEqual((item["decision"] as? [String: Any])?["decision"] as? String, "admitted")
        XCTAssertEqual(((item["decision"] as? [String: Any])?["criteria"] as? [[String: Any]])?.count, 8)
        let classed = try XCTUnwrap(events.first { $0["kind"] as? String == "class_changed" }, trail.stdout)
        XCTAssertEqual((classed["record"] as? [String: Any])?["class"] as? String, "A")
        XCTAssertTrue((classed["record"] as? [String: Any])?["previous_class"] is NSNull)
        let db = h.state.appendingPathComponent("agent.sqlite").path
        let histories = try Self.tool("/usr/bin/sqlite3", [db, "SELECT (SELECT count(*) FROM class_history) + (SELECT count(*) FROM roster_history)"])
        XCTAssertEqual(histories.out.trimmingCharacters(in: .whitespacesAndNewlines), "0", "no record stored twice")

        // m-fix rectifies on 07-05: rectified in time, minor, first, no harm → no penalty.
        try h.drop(text: Self.merchantHeader + Self.merchant("m-fix", "91510107MA6CWH0263", "乙公司", displayed: "是"), name: "merchants-2.csv")
        try day(h, "2026-07-05")
        let confirmation = try XCTUnwrap(try lines(h, "guidance-", merchant: "m-fix").first { $0["type"] as? String == "rectification_confirmed" })
        XCTAssertEqual(confirmation["in_time"] as? Bool, true)
        XCTAssertEqual(confirmation["issuer"] as? String, "成都市市场监督管理局", "the organ is named; the agent is none")
        let determination = try XCTUnwrap(confirmation["determination"] as? [String: Any])
        XCTAssertEqual(determination["result"] as? String, "no_penalty")
        XCTAssertEqual(determination["basis"] as? String, "《中华人民共和国行政处罚法》第三十三条")
        // A recommendation: the note is in the determination for the officer; the merchant gets it
        // only from the regulator's decision (a determination directive).
        XCTAssertTrue(confirmation["education_note"] is NSNull, "\(confirmation)")
        XCTAssertTrue((determination["note"] as? String)?.contains("建议不予行政处罚") == true)
        XCTAssertEqual(confirmation["receipt_expected"] as? Bool, false)

        // Nothing more is due before the deadline has run out.
        try day(h, "2026-07-11")
        XCTAssertTrue(try h.outboxLines(prefix: "warning-").isEmpty)

        // m-stuck: the warning at 00:00 after the deadline day.
        try day(h, "2026-07-12")
        let warning = try XCTUnwrap(try h.outboxLines(prefix: "warning-").first)
        XCTAssertEqual(warning["platform_merchant_id"] as? String, "m-stuck")
        XCTAssertEqual(warning["step"] as? Int, 1)
        XCTAssertEqual(warning["original_deadline"] as? String, "2026-07-11")
        XCTAssertEqual(warning["deadline"] as? String, "2026-07-19", "rectify within the 7 days before the suspension")
        XCTAssertEqual(warning["receipt_due"] as? String, "2026-07-17")
        // The platform executes the warning.
        let warningID = try XCTUnwrap(warning["instruction_id"] as? String)
        try h.drop(text: "receipt_id,instruction_id,platform_merchant_id,action,at\nr-1,\(warningID),m-stuck,executed,2026-07-12T10:00:00+08:00\n",
                   name: "receipts-1.csv")
        try day(h, "2026-07-13")
        // The suspension comes when the warning's 7 days are over, not earlier.
        try day(h, "2026-07-19")
        XCTAssertTrue(try h.outboxLines(prefix: "suspend-").isEmpty)
        // When it falls due it is proposed to the district officer (pack: confirm = "staff"),
        // and with no regulator to confirm it nothing is written (StaffConfirmationEndToEndTests
        // has the officer's side).
        try day(h, "2026-07-20")
        try day(h, "2026-07-24")
        XCTAssertTrue(try h.outboxLines(prefix: "suspend-").isEmpty, "a suspension waits for an officer")

        // Rectified while the proposal waits: late, no penalty proposal, and no reinstatement
        // (nothing was suspended).
        try h.drop(text: Self.merchantHeader + Self.merchant("m-stuck", "91510105MA6CQY038C", "丙公司", displayed: "是"), name: "merchants-3.csv")
        try day(h, "2026-07-25")
        XCTAssertTrue(try h.outboxLines(prefix: "reinstate-").isEmpty)
        let late = try XCTUnwrap(try lines(h, "guidance-", merchant: "m-stuck").first { $0["type"] as? String == "rectification_confirmed" })
        XCTAssertEqual(late["in_time"] as? Bool, false)
        XCTAssertEqual((late["determination"] as? [String: Any])?["result"] as? String, "none")

        // The reports and the audit trail tell the same story.
        let cases = try h.run(["report", "cases", "--state", "all", "--json", "--config", h.configPath])
        let states = cases.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .reduce(into: [String: String]()) { $0[$1["platform_merchant_id"] as? String ?? ""] = $1["state"] as? String }
        XCTAssertEqual(states, ["m-fix": "rectified", "m-stuck": "rectified_late"])
        let roster = try h.run(["report", "roster", "--csv", "--config", h.configPath])
        XCTAssertTrue(roster.stdout.hasPrefix("\u{FEFF}platform_merchant_id,"), roster.stdout)
        XCTAssertTrue(roster.stdout.contains("m-clean,91510104MA6CJJ0124"), roster.stdout)
        // The member in good standing is the award candidate; explained through the pack, a member.
        let candidates = try h.run(["report", "candidates", "--csv", "--config", h.configPath])
        XCTAssertTrue(candidates.stdout.contains("\n1,m-clean,91510104MA6CJJ0124,"), candidates.stdout)
        let explained = try h.run(["policy", "explain", "--merchant", "m-clean", "--config", h.configPath, "--now", "2026-07-25"])
        XCTAssertEqual(explained.status, 0, explained.stdout + explained.stderr)
        let explanation = try JSONSerialization.jsonObject(with: Data(explained.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(explanation?["platform_merchant_id"] as? String, "m-clean")
        XCTAssertEqual((explanation?["roster"] as? [String: Any])?["member"] as? Bool, true, explained.stdout)
        let audit = try h.run(["audit", "--merchant", "m-stuck", "--config", h.configPath])
        for kind in ["case_opened", "instruction_issued", "receipt_matched", "case_rectified"] {
            XCTAssertTrue(audit.stdout.contains(kind), "\(kind) missing:\n\(audit.stdout)")
        }
        // A rerun of the same day decides nothing again.
        let files = try FileManager.default.contentsOfDirectory(atPath: h.outbox.path).count
        try day(h, "2026-07-25")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: h.outbox.path).count, files)
    }

    /// Issue 13 corrections 3 and 8 through the real agent: several categories in one cell, a
    /// lawful 食用农产品 seller left alone, a missing 备案 met by a takedown at once (no guidance, no
    /// ladder) and rectified when the 备案 arrives, a platform's miskeyed code addressed to the
    /// platform, and a bad category rejected with its file, line, column and what is expected.
    func testLicenceScopeTakedownAndThePlatformsOwnErrors() throws {
        let h = try makeAgent()
        var registry = Self.registryHeader
        for (_, uscc, name) in Self.companies { registry += "\(uscc),\(name),张三,成都市锦江区一号,存续,否,否,2025\n" }
        try h.drop(text: registry, name: "registry-1.csv")
        func row(_ id: String, _ uscc: String, _ name: String, shown: String, _ category: String) -> String {
            "\(id),\(name)旗舰店,enterprise,\(uscc),\(name),张三,成都市锦江区一号,\(name),\(shown),成都市锦江区一号,是,\"\(category)\",2026-06-20,2024-01-01,active\n"
        }
        let (clean, pre, keyed) = (Self.companies[0], Self.companies[1], Self.companies[2])
        try h.drop(text: Self.merchantHeader
            + row("m-farm", clean.1, clean.2, shown: clean.1, "edible_farm_produce；general")
            + row("m-pre", pre.1, pre.2, shown: pre.1, "一般商品；仅销售预包装食品")
            + row("m-keyed", "91510105MA6CQY038A", keyed.2, shown: keyed.1, "general")   // the registry holds …038C
            + row("m-bad", clean.1, clean.2, shown: clean.1, "food;水果"), name: "merchants-1.csv")
        try day(h, "2026-07-01")

        let rejected = try XCTUnwrap(try h.outboxLines(prefix: "rejects-").first { $0["type"] as? String == "row_rejected" })
        XCTAssertEqual(rejected["file"] as? String, "merchants-1.csv")
        XCTAssertEqual(rejected["line"] as? Int, 5)
        let problem = try XCTUnwrap((rejected["problems"] as? [[String: Any]])?.first)
        XCTAssertEqual(problem["column"] as? String, "category")
        XCTAssertEqual(problem["column_number"] as? Int, 12)
        XCTAssertTrue((problem["reason"] as? String)?.hasPrefix("category '水果' is not known; expected one or more of") == true, "\(problem)")

        XCTAssertTrue(try lines(h, "guidance-", merchant: "m-farm").isEmpty && lines(h, "takedown-", merchant: "m-farm").isEmpty,
                      "食用农产品 needs no licence")
        let takedown = try XCTUnwrap(try lines(h, "takedown-", merchant: "m-pre").first)
        XCTAssertEqual(takedown["type"] as? String, "takedown")
        XCTAssertEqual(takedown["rule_id"] as? String, "RL-04")
        XCTAssertTrue(takedown["deadline"] is NSNull)
        XCTAssertEqual(takedown["receipt_expected"] as? Bool, true)
        XCTAssertEqual(takedown["issuer"] as? String, "成都市市场监督管理局")
        XCTAssertTrue(try lines(h, "guidance-", merchant: "m-pre").isEmpty, "no guidance to get a licence within days")

        let keyedCase = try lines(h, "guidance-", merchant: "m-keyed")
        XCTAssertEqual(keyedCase.map { $0["rule_id"] as? String }, ["RL-09"])
        XCTAssertEqual(keyedCase.first?["addressee"] as? String, "platform")

        // No ladder while the goods are down; the 备案 arrives and the case is rectified.
        try day(h, "2026-07-20")
        XCTAssertTrue(try h.outboxLines(prefix: "warning-").filter { $0["platform_merchant_id"] as? String == "m-pre" }.isEmpty)
        try h.drop(text: "platform_merchant_id,licence_type,licence_no,holder_name\nm-pre,仅销售预包装食品备案,YB25101040000011,\(pre.2)\n",
                   name: "licences-1.csv")
        try day(h, "2026-07-21")
        let confirmed = try lines(h, "guidance-", merchant: "m-pre").filter { $0["type"] as? String == "rectification_confirmed" }
        XCTAssertEqual(confirmed.count, 1)
        XCTAssertTrue(try h.outboxLines(prefix: "reinstate-").isEmpty)
    }

    func testABadPackIsRefusedWithItsLineAndTheLastGoodPackStaysActive() throws {
        let h = try makeAgent()
        try h.drop(text: Self.registryHeader + "91510104MA6CJJ0124,甲公司,张三,成都市锦江区一号,存续,否,否,2025\n", name: "registry-1.csv")
        try h.drop(text: Self.merchantHeader + Self.merchant("m-clean", "91510104MA6CJJ0124", "甲公司", displayed: "是"), name: "merchants-1.csv")
        try day(h, "2026-07-01")
        // A newer pack with an unknown key: `policy check` names the line; the agent keeps serial 1.
        let good = try String(contentsOf: h.root.appendingPathComponent("pack.toml"), encoding: .utf8)
        let bad = good.replacingOccurrences(of: "serial = 1 ", with: "serial = 2 ").replacingOccurrences(of: "deadline_days = 10\n", with: "deadline_dayz = 10\n")
        try bad.write(to: h.root.appendingPathComponent("bad.toml"), atomically: true, encoding: .utf8)
        let check = try h.run(["policy", "check", h.root.appendingPathComponent("bad.toml").path])
        XCTAssertEqual(check.status, 78)
        XCTAssertTrue(check.stdout.contains("bad.toml line "), check.stdout)
        XCTAssertTrue(check.stdout.contains("unknown key `deadline_dayz`; did you mean `deadline_days`?"), check.stdout)
        // A pack whose bytes changed after signing is refused when it is the only one offered.
        let fresh = try makeAgent()
        var tampered = try String(contentsOf: fresh.root.appendingPathComponent("pack.toml"), encoding: .utf8)
        tampered = tampered.replacingOccurrences(of: "deadline_days = 15 ", with: "deadline_days = 99 ")
        try tampered.write(to: fresh.root.appendingPathComponent("pack.toml"), atomically: true, encoding: .utf8)
        try fresh.drop(text: Self.merchantHeader + Self.merchant("m-1", "91510104MA6CJJ0124", "甲公司", displayed: "否"), name: "merchants-1.csv")
        let refused = try fresh.run(["run", "--once", "--no-sync", "--config", fresh.configPath, "--now", "2026-07-01"])
        XCTAssertTrue(refused.stderr.contains("signature does not verify"), refused.stderr)
        XCTAssertTrue(refused.stdout.contains("policy: no pass"), refused.stdout)
        XCTAssertTrue(try fresh.outboxLines(prefix: "guidance-").isEmpty, "nothing is decided by an unverified pack")
        // The first agent still decides by its stored pack even with the pack file gone.
        try FileManager.default.removeItem(at: h.root.appendingPathComponent("pack.toml"))
        let again = try day(h, "2026-07-02")
        XCTAssertTrue(again.stdout.contains("policy chengdu-2026.1"), again.stdout)
        let show = try h.run(["policy", "show", "--config", h.configPath])
        XCTAssertTrue(show.stdout.contains("chengdu-2026.1 serial 1: active (from file"), show.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: h.state.appendingPathComponent("rulepack/active.toml").path))
    }

    /// The findings' counts by severity are loaded only for a pack that reads them (issue 16: four
    /// columns of 469,000 numbers the Chengdu pack never reads). A pack that does read one must
    /// still see it: an indicator on `findings.count` counts a merchant's findings.
    func testAPackThatCountsFindingsSeesTheirCounts() throws {
        let chengdu = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("rulepacks/chengdu-2026.1.toml"), encoding: .utf8)
        let indicator = """
            [[indicator]]
            id = "IND-COUNTED"
            family = "basic"
            title = "有资质问题"
            when = "findings.count >= 1 and findings.general + findings.serious + findings.minor == findings.count"
            points = 1

            [[indicator]]
            id = "IND-B1"
            """
        let h = try makeAgent(packText: chengdu.replacingOccurrences(of: "[[indicator]]\nid = \"IND-B1\"", with: indicator))
        try h.drop(text: Self.merchantHeader + Self.merchant("m-clean", "91510104MA6CJJ0124", "甲公司", displayed: "是")
            + Self.merchant("m-hidden", "91510105MA6CQY038C", "丙公司", displayed: "否"), name: "merchants-1.csv")
        try day(h, "2026-07-01")
        // The ids of the indicators that gave points, and of those that could not be judged.
        func explained(_ merchant: String) throws -> (counted: [String], unknown: [String]) {
            let r = try h.run(["policy", "explain", "--merchant", merchant, "--config", h.configPath, "--now", "2026-07-01"])
            XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
            let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
            let decision = json?["class"] as? [String: Any]
            func ids(_ key: String) -> [String] { (decision?[key] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }
            XCTAssertNotNil(decision, r.stdout)
            return (ids("indicators"), ids("unknown"))
        }
        let hidden = try explained("m-hidden"), clean = try explained("m-clean")
        XCTAssertTrue(hidden.counted.contains("IND-COUNTED"), "the licence not displayed is a finding the pack counts: \(hidden)")
        XCTAssertFalse(clean.counted.contains("IND-COUNTED"))
        XCTAssertFalse((hidden.unknown + clean.unknown).contains("IND-COUNTED"), "the counts are never unknown")
    }

    /// A running agent keeps the columns in memory between passes; its decisions must be those of
    /// passes that read everything again (the same state, the same days).
    func testPassesOnColumnsKeptInMemoryDecideAsPassesThatReadEverything() throws {
        let h = try makeAgent()
        let files = try h.generate(merchants: 400, seed: 11)
        for (_, url) in files { try h.drop(url) }
        try day(h, "2026-07-01")
        let copy = h.root.appendingPathComponent("state-copy")
        try FileManager.default.copyItem(at: h.state, to: copy)
        // Cached: one process, three days.
        let cached = try h.run(["policy", "bench", "--config", h.configPath, "--now", "2026-07-10", "--passes", "3", "--days-apart", "4"])
        XCTAssertEqual(cached.status, 0, cached.stdout + cached.stderr)
        let withCache = try decisions(h.state)
        // Fresh: the copy, one process per day.
        try FileManager.default.removeItem(at: h.state)
        try FileManager.default.moveItem(at: copy, to: h.state)
        for date in ["2026-07-10", "2026-07-14", "2026-07-18"] {
            let r = try h.run(["policy", "bench", "--config", h.configPath, "--now", date, "--passes", "1"])
            XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        }
        let fresh = try decisions(h.state)
        XCTAssertGreaterThan(withCache.count, 100, "the days decided something")
        XCTAssertEqual(withCache, fresh)
    }

    /// SIGTERM while a file is in hand: the file is finished, the policy pass it would trigger is
    /// left for the next start (so the stop is not held by it), and the next start runs it.
    func testAStopFinishesTheFileAndLeavesItsPolicyPassToTheNextStart() throws {
        let h = try makeAgent()
        let files = try h.generate(merchants: 20_000, seed: 5)
        let service = try h.startService()
        try h.waitUntil(timeout: 60, "the service started") { h.serviceLog.contains("agent started") }
        try h.drop(XCTUnwrap(files["merchants"]))
        try h.waitUntil(timeout: 60, "the file is claimed") { h.count(in: h.work) == 1 }
        service.terminate()
        service.waitUntilExit()
        XCTAssertEqual(service.terminationStatus, 0, h.serviceLog.suffix(2000).description)
        XCTAssertEqual(h.count(in: h.work), 0, "the file in hand was finished")
        XCTAssertEqual(try h.status().int("merchants"), 20_000)
        XCTAssertTrue(h.serviceLog.contains("the policy pass is left for the next start"), h.serviceLog.suffix(2000).description)
        XCTAssertEqual(try h.outboxFiles(prefix: "guidance-").count, 0, "no pass ran on the stop")

        let r = try h.run(["run", "--once", "--no-sync", "--config", h.configPath])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("policy chengdu-2026.1: 20000 merchant(s)"), r.stdout)
        XCTAssertGreaterThan(try h.outboxFiles(prefix: "guidance-").count, 0, "the next start decided the cases")
    }

    /// Cases, instructions, standings, prompts and items, as text lines (the decisions' history is
    /// the audit trail's, compared apart).
    func decisions(_ state: URL) throws -> [String] {
        let db = state.appendingPathComponent("agent.sqlite").path
        let r = try Self.tool("/usr/bin/sqlite3", [db, """
            SELECT 'case', id, state, hex(record) FROM cases
            UNION ALL SELECT 'instruction', id, kind, receipt_state FROM policy_instructions
            UNION ALL SELECT 'merchant', platform_merchant_id, class || '/' || points, member || '/' || ifnull(member_since, '') FROM merchant_policy
            UNION ALL SELECT 'prompt', platform_merchant_id || '/' || prompt_id, window_key, episode_open FROM prompt_ledger
            UNION ALL SELECT 'items', type, count(*), '' FROM policy_items GROUP BY 2
            ORDER BY 1, 2
            """])
        XCTAssertEqual(r.status, 0, r.out)
        return r.out.split(separator: "\n").map(String.init)
    }
}
