import Foundation
import SandboxAgent
import SandboxCore
import TestSupport
import XCTest

/// The staff console in a real browser: headless Chromium (Debian's `chromium`) driven by
/// Playwright for Python (Fixtures/console_browser.py), both installed by scripts/setup, against
/// the real regulator binary on loopback with seeded enterprises and staff. A district officer
/// logs in, finds an enterprise by USCC and by Chinese name, opens its file, is refused another
/// district's; works a lead to 结案 through the forms; decides an art. 33 recommendation (首违不罚);
/// an association sees only its members and uploads its member list from a file; the city removes
/// an enterprise from the roster after its preview, reads the platforms' health and issues a
/// directive to one enterprise from its preview; the district officer previews a 双随机 draw
/// (prepared in the background) and draws it; labels and keyboard reach are checked; a
/// screenshot of each main page is kept (the folder is printed).
final class ConsoleBrowserEndToEndTests: XCTestCase {
    static let python = ProcessInfo.processInfo.environment["SANDBOX_BROWSER_PYTHON"] ?? "/opt/sandbox-browser/bin/python"
    static let password = "console demo password"

    func testADistrictOfficerAndAnAssociationWorkInTheBrowser() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") else {
            XCTFail("Chromium or Playwright is missing: run scripts/setup (it installs chromium, fonts-noto-cjk and "
                    + "a Playwright venv at /opt/sandbox-browser)"); return
        }
        let jinjiang = TestUSCC.valid(region: "510104", 11), wuhou = TestUSCC.valid(region: "510107", 12)
        let regulator = try RegulatorHarness()
        let db = regulator.folder.appendingPathComponent("regulator.db").path
        let registry = regulator.folder.appendingPathComponent("registry.csv")
        try ("uscc,name,legal_representative,address,registration_status,abnormal_list,serious_violation_list,last_annual_report_year\n"
             + "\(jinjiang),成都锦江小吃有限公司,张三,成都市锦江区一号,存续,否,否,2025\n"
             + "\(wuhou),成都武侯茶馆有限公司,李四,成都市武侯区二号,存续,否,否,2025\n").write(to: registry, atomically: true, encoding: .utf8)
        let imported = try runToCompletion([RegulatorHarness.binary.path, "import-registry", "--db", db, registry.path])
        XCTAssertEqual(imported.status, 0, imported.output)
        // The Chengdu pack, signed and published, for the district's draw (its ratios).
        let key = regulator.folder.appendingPathComponent("rulepack-key").path
        XCTAssertEqual(try PolicyEndToEndTests.tool(RegulatorHarness.binary.path, ["rulepack", "keygen", "--out", key]).status, 0)
        regulator.rulepackKeys = key + ".pub"
        let pack = regulator.folder.appendingPathComponent("chengdu.toml")
        try String(contentsOf: PolicyEndToEndTests.repositoryRoot.appendingPathComponent("rulepacks/chengdu-2026.1.toml"), encoding: .utf8)
            .write(to: pack, atomically: true, encoding: .utf8)
        XCTAssertEqual(try PolicyEndToEndTests.tool(RegulatorHarness.binary.path, ["rulepack", "sign", pack.path, "--key", key]).status, 0)
        try regulator.start()
        defer { regulator.stop() }
        XCTAssertEqual(try PolicyDistributionEndToEndTests.publish(regulator, pack: pack), 201)

        var lines = ""
        for (id, uscc, region, hash) in [("jj-1", jinjiang, "510104", 1), ("wh-1", wuhou, "510107", 2)] {
            lines += #"{"type":"merchant","platform_id":"platform-a","key":"\#(id)","uscc":"\#(uscc)","content_hash":"\#(hash)","data":{"platform_merchant_id":"\#(id)","shop_name":"小店\#(id)","region_code":"\#(region)"}}"# + "\n"
        }
        // A case of platform-a's agent against the 锦江区 enterprise: a lead in that district's queue.
        lines += #"{"type":"case","platform_id":"platform-a","key":"PA-case-1","uscc":"\#(jinjiang)","content_hash":"3","data":{"case_id":"PA-case-1","rule_id":"RL-02","rule_title":"亮照亮证","severity":"general","addressee":"merchant","state":"overdue","opened_at":"2026-11-01T09:00:00+08:00","deadline":"2026-11-15","lead":{"kind":"违法预警线索","reason":"未亮照","basis":"《电子商务法》第十五条","evidence":{}},"steps":[],"rectified_at":null,"in_time":null,"determination":null,"closed_at":null,"close_reason":null}}"# + "\n"
        // A rectified case whose agent recommends 不予行政处罚 (art. 33): the officer decides it.
        lines += #"{"type":"case","platform_id":"platform-a","key":"PA-case-2","uscc":"\#(jinjiang)","content_hash":"4","data":{"case_id":"PA-case-2","rule_id":"RL-05","rule_title":"退换货规则公示","severity":"minor","addressee":"merchant","state":"rectified","platform_merchant_id":"jj-1","opened_at":"2026-10-01T09:00:00+08:00","deadline":"2026-10-08","rectified_at":"2026-10-05T10:00:00+08:00","in_time":true,"lead":{"kind":"违法预警线索","reason":"未公示退换货规则","basis":"《电子商务法》第十七条","evidence":[{"field":"finding","found":"RETURN_POLICY_MISSING","source":"merchant"}]},"steps":[],"determination":{"result":"no_penalty","basis":"《中华人民共和国行政处罚法》第三十三条","criteria":{"severity":{"value":"minor","holds":true},"first":{"holds":true,"earlier_cases":[]}},"note":"请认真学习电子商务法，依法公示退换货规则。"},"closed_at":null,"close_reason":null}}"# + "\n"
        // Two overdue cases whose agent proposes a suspension: the officer confirms both in bulk.
        for (key, hash) in [("PA-case-3", 10), ("PA-case-4", 11)] {
            lines += #"{"type":"case","platform_id":"platform-a","key":"\#(key)","uscc":"\#(jinjiang)","content_hash":"\#(hash)","data":{"case_id":"\#(key)","rule_id":"RL-02","rule_title":"亮照亮证","severity":"general","addressee":"merchant","state":"overdue","platform_merchant_id":"jj-1","opened_at":"2026-10-01T09:00:00+08:00","deadline":"2026-10-11","lead":{"kind":"违法预警线索","reason":"未亮照","basis":"《电子商务法》第十五条","evidence":[]},"steps":[],"steps_issued":1,"suspension_in_force":false,"proposal":{"step":2,"kind":"suspend","state":"pending","first_proposed_at":"2026-10-20T00:00:00+08:00","proposed_at":"2026-10-20T00:00:00+08:00","deferred_until":null,"action":"平台应暂停为其提供网络交易平台服务","basis":"《电子商务法》第三十六条"}}}"# + "\n"
        }
        // Each storefront's class and roster item, as a running agent sends them: the 武侯 enterprise
        // (class A, proposed, no case) is on the roster; the city removes it in the browser.
        for (id, uscc, letter, hash) in [("jj-1", jinjiang, "B", 5), ("wh-1", wuhou, "A", 7)] {
            lines += #"{"type":"class","platform_id":"platform-a","key":"\#(id)","uscc":"\#(uscc)","content_hash":"\#(hash)","data":{"class":"\#(letter)","class_name":"信用风险\#(letter)","points":80,"since":"2026-02-01","explanation":{}}}"# + "\n"
            lines += #"{"type":"roster","platform_id":"platform-a","key":"\#(id)","uscc":"\#(uscc)","content_hash":"\#(hash + 1)","data":{"member":true,"member_since":"2026-03-01","source":"agent","decision":{"decision":"admitted","at":"2026-03-01T00:05:00+08:00","criteria":[],"directive_id":null},"readmit_not_before":null}}"# + "\n"
        }
        let feed = try RegulatorIntakeEndToEndTests.post(regulator.url, Gzip.compress(Array(lines.utf8)), key: "console-seed")
        XCTAssertEqual(feed.status, 200, String(decoding: feed.body, as: UTF8.self))
        XCTAssertTrue(String(decoding: feed.body, as: UTF8.self).contains(#""accepted":10"#), String(decoding: feed.body, as: UTF8.self))
        for (user, extra) in [("jinjiang-wang", #""role":"district","district":"510104""#),
                              ("jinjiang-zhao", #""role":"district","district":"510104""#),
                              ("food-assoc", #""role":"association","association":"food""#), ("city-li", #""role":"city""#)] {
            let r = try regulator.request("POST", "/v1/admin/staff",
                                          body: Data(#"{"username":"\#(user)",\#(extra),"password":"\#(Self.password)"}"#.utf8))
            XCTAssertEqual(r.status, 201, String(decoding: r.body, as: UTF8.self))
        }
        let members = try regulator.request("POST", "/v1/admin/associations/food/members", body: Data(#"{"usccs":["\#(jinjiang)"]}"#.utf8))
        XCTAssertEqual(members.status, 200)

        let artefacts = regulator.folder.deletingLastPathComponent().appendingPathComponent("console-screenshots-\(UUID().uuidString)")
        // A passing run's screenshots become the last good set (one folder, replaced each run); a
        // failing run keeps its own, named in the output. A set per run (2 MB) piled up in /tmp.
        let lastGood = artefacts.deletingLastPathComponent().appendingPathComponent("console-screenshots-last")
        addTeardownBlock { [weak self] in
            guard self?.testRun?.totalFailureCount == 0 else { return }
            try? FileManager.default.removeItem(at: lastGood)
            try? FileManager.default.moveItem(at: artefacts, to: lastGood)
        }
        let seed = regulator.folder.appendingPathComponent("seed.json")
        let seedObject: [String: String] = [
            "password": Self.password, "district_user": "jinjiang-wang", "association_user": "food-assoc",
            "own_uscc": jinjiang, "own_name": "成都锦江小吃有限公司", "other_uscc": wuhou, "member_uscc": jinjiang,
            "non_member_uscc": wuhou, "name_prefix": "成都", "lead": "PA-case-1", "recommendation": "PA-case-2",
            "city_user": "city-li", "roster_uscc": wuhou, "platform": "platform-a", "proposals": "PA-case-3,PA-case-4",
        ]
        try JSONSerialization.data(withJSONObject: seedObject).write(to: seed)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/console_browser.py").path
        let started = Date()
        let (status, output) = try runToCompletion([Self.python, script, regulator.url, artefacts.path, seed.path])
        print(output)
        print("console screenshots: \(artefacts.path) (moved to \(lastGood.path) if the test passes)")
        XCTAssertEqual(status, 0, output + "\n" + String(regulator.log.suffix(3000)))
        XCTAssertLessThan(Date().timeIntervalSince(started), 60, "the browser test must stay under a minute")
        for name in ["login", "dashboard", "search", "search-results", "enterprise", "leads", "lead-closed", "determinations",
                     "determination-decided", "denied", "association", "platforms", "roster", "roster-preview",
                     "roster-removed", "proposals-bulk-preview", "proposals-bulk-done", "directive-preview", "directives",
                     "draw-preview", "draw"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: artefacts.appendingPathComponent(name + ".png").path), name)
        }

        // The refused look at another district's enterprise is in the audit trail, as the API's is.
        let trail = try regulator.request("GET", "/v1/admin/audit?actor=jinjiang-wang").json["entries"] as? [[String: Any]] ?? []
        XCTAssertTrue(trail.contains { $0["subject"] as? String == wuhou && $0["outcome"] as? String == "denied"
                                       && $0["action"] as? String == "GET /console/enterprises/{uscc}" }, "\(trail)")
        XCTAssertTrue(trail.contains { $0["subject"] as? String == jinjiang && $0["outcome"] as? String == "ok" }, "\(trail)")
        // The lead worked in the browser is closed at the regulator, by the officer, with its penalty.
        let lead = try regulator.request("GET", "/v1/admin/leads/platform-a/PA-case-1").json
        XCTAssertEqual(lead["stage"] as? String, "closed", "\(lead)")
        let last = (lead["steps"] as? [[String: Any]])?.last
        XCTAssertEqual(last?["officer"] as? String, "jinjiang-wang")
        XCTAssertEqual(last?["penalty_fen"] as? Int, 200_000)
        // The art. 33 decision taken in the browser is the regulator's, and its note waits for platform-a.
        let decided = try regulator.request("GET", "/v1/admin/determinations/platform-a/PA-case-2").json
        XCTAssertEqual(decided["decision"] as? String, "no_penalty", "\(decided)")
        XCTAssertEqual(decided["decided_by"] as? String, "jinjiang-wang")
        XCTAssertNotNil(decided["directive_id"] as? String, "the education note went out as a directive")
        // The two suspensions confirmed in bulk in the browser, each by the officer through the API's path.
        for key in ["PA-case-3", "PA-case-4"] {
            let proposal = try regulator.request("GET", "/v1/admin/proposals/platform-a/\(key)").json
            let decision = proposal["decision"] as? [String: Any]
            XCTAssertEqual(decision?["decision"] as? String, "confirm", "\(proposal)")
            XCTAssertEqual(decision?["decided_by"] as? String, "jinjiang-wang")
        }
        // The association's upload and the city's removal, made in the browser, are the regulator's.
        let uploads = try regulator.request("GET", "/v1/admin/audit?actor=food-assoc").json["entries"] as? [[String: Any]] ?? []
        XCTAssertTrue(uploads.contains { $0["action"] as? String == "POST /console/associations/{association}/members"
                                         && $0["status"] as? Int == 303 }, "\(uploads)")
        let roster = try regulator.request("GET", "/v1/admin/roster?uscc=\(wuhou)").json["entries"] as? [[String: Any]] ?? []
        let overrides = roster.first?["overrides"] as? [[String: Any]] ?? []
        XCTAssertEqual(overrides.first?["action"] as? String, "remove", "\(roster)")
        XCTAssertEqual(overrides.first?["hold_days"] as? Int, 30)
        XCTAssertEqual((overrides.first?["directive_ids"] as? [String])?.count, 1, "one platform holds it: one directive")
        // The directive the city issued in the browser waits for platform-a, as the API's would.
        let polled = try regulator.request("GET", "/v1/directives?after=0", token: "token-a").json["directives"] as? [[String: Any]] ?? []
        let guidance = polled.filter { $0["type"] as? String == "guidance" }
        XCTAssertEqual(guidance.map { $0["uscc"] as? String }, [jinjiang], "\(polled)")
        XCTAssertEqual((guidance.first?["payload"] as? [String: Any])?["officer"] as? String, "city-li")
    }
}
