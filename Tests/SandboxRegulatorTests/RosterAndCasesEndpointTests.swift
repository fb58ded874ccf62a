import Foundation
import Hummingbird

import SandboxPack
import XCTest
@testable import SandboxRegulator

final class RosterAndCasesEndpointTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias P = PolicyItems
    static let both = "91510104MA6CXXXX01"    // storefronts on A and B
    static let onlyB = "91510107MA6CXXXX02"

    /// A: m1 member, class B. B: n1 not member, class C; n2 (only B) member, class A.
    static func seed(_ client: some TestClientProtocol) async throws {
        var (status, _) = try await P.post(client, platform: "A", key: "a1", [
            F.merchantLine(platform: "A", id: "m1", uscc: Self.both),
            P.roster("A", "m1", uscc: nil, member: true, since: "2026-03-01"),   // USCC from the merchant record
            P.creditClass("A", "m1", uscc: Self.both, "B"),
        ])
        XCTAssertEqual(status, .ok)
        (status, _) = try await P.post(client, platform: "B", key: "b1", [
            F.merchantLine(platform: "B", id: "n1", uscc: Self.both),
            P.roster("B", "n1", uscc: Self.both, member: false),
            P.creditClass("B", "n1", uscc: Self.both, "C"),
            F.merchantLine(platform: "B", id: "n2", uscc: Self.onlyB),
            P.roster("B", "n2", uscc: Self.onlyB, member: true, since: "2026-02-01"),
            P.creditClass("B", "n2", uscc: Self.onlyB, "A"),
        ])
        XCTAssertEqual(status, .ok)
    }

    static func entries(_ r: TestResponse) throws -> [String: [String: Any]] {
        let list = try F.json(r)["entries"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: list.map { ($0["uscc"] as? String ?? "", $0) })
    }

    func testTheRegulatorDecidesPerUSCCWithWorstClassAndPerPlatformDecisions() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await Self.seed(client)
            var r = try await client.execute(uri: "/v1/admin/roster", method: .get, headers: F.admin)
            XCTAssertEqual(r.status, .ok, F.text(r))
            let body = try F.json(r)
            XCTAssertTrue(body["priority_note"] is NSNull, "no pack published: the note is null")
            let e = try Self.entries(r)
            XCTAssertEqual(e.count, 2)
            // One platform's "member" never outweighs another's class C (issue 12): the regulator
            // decides per enterprise, and says why not.
            XCTAssertEqual(e[Self.both]?["member"] as? Bool, false, "A proposes it, but B rates it C")
            XCTAssertEqual(e[Self.both]?["proposed_by"] as? [String], ["A"])
            let because = e[Self.both]?["not_member_because"] as? [String] ?? []
            XCTAssertTrue(because.contains("B storefront n1 is rated class C; the sandbox admits A"), "\(because)")
            XCTAssertTrue(because.contains("A storefront m1 is rated class B; the sandbox admits A"), "\(because)")
            XCTAssertTrue(because.contains("B storefront n1: the platform's agent does not propose it"), "\(because)")
            XCTAssertEqual(e[Self.both]?["worst_class"] as? String, "C")
            XCTAssertTrue(e[Self.both]?["member_since"] is NSNull)
            XCTAssertEqual(e[Self.onlyB]?["member"] as? Bool, true, "proposed and rated A by its only platform")
            XCTAssertEqual(e[Self.onlyB]?["not_member_because"] as? [String], [])
            let platforms = e[Self.both]?["platforms"] as? [[String: Any]] ?? []
            XCTAssertEqual(platforms.map { $0["platform_id"] as? String }, ["A", "B"])
            XCTAssertEqual(platforms.map { $0["member"] as? Bool }, [true, false])
            XCTAssertEqual(platforms.map { $0["class"] as? String }, ["B", "C"])
            XCTAssertEqual(platforms.first?["pack_version"] as? String, "chengdu-2026.1")
            XCTAssertEqual(e[Self.onlyB]?["worst_class"] as? String, "A")

            r = try await client.execute(uri: "/v1/admin/roster?uscc=\(Self.onlyB)", method: .get, headers: F.admin)
            XCTAssertEqual(try Self.entries(r).keys.sorted(), [Self.onlyB])
            r = try await client.execute(uri: "/v1/admin/roster?uscc=91510100MA0000000X", method: .get, headers: F.admin)
            XCTAssertEqual(r.status, .notFound)
            r = try await client.execute(uri: "/v1/admin/roster?uscc=bad", method: .get, headers: F.admin)
            XCTAssertEqual(r.status, .badRequest)
            r = try await client.execute(uri: "/v1/admin/roster", method: .get, headers: F.bearer(F.tokens["A"]!))
            XCTAssertEqual(r.status, .forbidden)
        }
    }

    func testRemovalOverrideTakesTheUSCCOffAndSendsOneDirectivePerPlatform() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await Self.seed(client)
            let body = F.buffer(Array(#"{"action":"remove","reason":"重大舆情","basis":"成市监〔2026〕1号","hold_days":90}"#.utf8))
            var r = try await client.execute(uri: "/v1/admin/roster/\(Self.both)", method: .post, headers: F.admin, body: body)
            XCTAssertEqual(r.status, .created, F.text(r))
            let answer = try F.json(r)
            let directives = answer["directives"] as? [[String: Any]] ?? []
            XCTAssertEqual(directives.map { $0["platform_id"] as? String }, ["A", "B"])
            XCTAssertEqual(directives.map { $0["type"] as? String }, ["sandbox", "sandbox"])
            let payload = directives.first?["payload"] as? [String: Any]
            XCTAssertEqual(payload?["action"] as? String, "remove")
            XCTAssertEqual(payload?["hold_days"] as? Int, 90)
            XCTAssertEqual(payload?["basis"] as? String, "成市监〔2026〕1号")
            XCTAssertEqual((answer["override"] as? [String: Any])?["in_force"] as? Bool, true)
            // Each platform gets its own on its long poll.
            r = try await client.execute(uri: "/v1/directives?after=0", method: .get, headers: F.bearer(F.tokens["B"]!))
            XCTAssertEqual((try F.json(r)["directives"] as? [[String: Any]])?.first?["uscc"] as? String, Self.both)

            r = try await client.execute(uri: "/v1/admin/roster?uscc=\(Self.both)", method: .get, headers: F.admin)
            let entry = try Self.entries(r)[Self.both]
            XCTAssertEqual(entry?["member"] as? Bool, false, "a removal in force overrides the platforms' member decisions")
            XCTAssertNotNil(entry?["removal_hold_until"] as? String)
            XCTAssertEqual((entry?["overrides"] as? [Any])?.count, 1)

            // An admission ends the hold; membership then follows the platforms again.
            r = try await client.execute(uri: "/v1/admin/roster/\(Self.both)", method: .post, headers: F.admin,
                                         body: F.buffer(Array(#"{"action":"admit","reason":"复核通过"}"#.utf8)))
            XCTAssertEqual(r.status, .created, F.text(r))
            r = try await client.execute(uri: "/v1/admin/roster?uscc=\(Self.both)", method: .get, headers: F.admin)
            XCTAssertEqual(try Self.entries(r)[Self.both]?["member"] as? Bool, true)
        }
    }

    func testOverrideRefusals() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await Self.seed(client)
            func post(_ uscc: String, _ json: String) async throws -> TestResponse {
                try await client.execute(uri: "/v1/admin/roster/\(uscc)", method: .post, headers: F.admin, body: F.buffer(Array(json.utf8)))
            }
            var r = try await post("91510100MA0000000X", #"{"action":"remove","reason":"x","hold_days":1}"#)
            XCTAssertEqual(r.status, .notFound)
            XCTAssertTrue(F.text(r).contains("no platform holds"), F.text(r))
            r = try await post(Self.both, #"{"action":"suspend","reason":"x"}"#)
            XCTAssertEqual(r.status, .badRequest)
            r = try await post(Self.both, #"{"action":"remove","reason":""}"#)
            XCTAssertEqual(r.status, .badRequest)
            r = try await post(Self.both, #"{"action":"remove","reason":"x"}"#)
            XCTAssertEqual(r.status, .badRequest, "no hold_days and no pack to default from")
            XCTAssertTrue(F.text(r).contains("hold_days"), F.text(r))
            r = try await client.execute(uri: "/v1/admin/roster/\(Self.both)", method: .post, headers: F.bearer(F.tokens["A"]!),
                                         body: F.buffer(Array(#"{"action":"admit","reason":"x"}"#.utf8)))
            XCTAssertEqual(r.status, .forbidden)
        }
    }

    func testPriorityNoteAndDefaultHoldComeFromThePublishedPack() async throws {
        let signer = PackSigner()
        let f = try F(rulePackKeys: TrustedKeys([signer.publicKey])); defer { f.remove() }
        let pack = RulePackEndpointTests.pack(serial: 1)
        _ = try await f.router.publisher.publish(content: pack, signature: try signer.sign(pack), by: "test")
        try await f.app().test(.router) { client in
            try await Self.seed(client)
            var r = try await client.execute(uri: "/v1/admin/roster", method: .get, headers: F.admin)
            XCTAssertEqual(try F.json(r)["priority_note"] as? String, "信用沙盒成员列入评优评先优先名单。")
            r = try await client.execute(uri: "/v1/admin/roster/\(Self.onlyB)", method: .post, headers: F.admin,
                                         body: F.buffer(Array(#"{"action":"remove","reason":"x"}"#.utf8)))
            XCTAssertEqual(r.status, .created, F.text(r))
            let override = try F.json(r)["override"] as? [String: Any]
            XCTAssertEqual(override?["hold_days"] as? Int, 180, "[roster.regulator] removal_hold_days")
        }
    }

    func testCasesAcrossPlatformsFilteredByStateRuleAndUSCC() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            _ = try await P.post(client, platform: "A", key: "a1", [
                P.caseItem("A", "c1", uscc: Self.both, rule: "RL-01", state: "open", opened: "2026-04-01T09:00:00+08:00"),
                P.caseItem("A", "c2", uscc: Self.both, rule: "RL-02", state: "overdue", opened: "2026-03-01T09:00:00+08:00"),
            ])
            _ = try await P.post(client, platform: "B", key: "b1", [
                P.caseItem("B", "c1", uscc: Self.onlyB, rule: "RL-01", state: "rectified", opened: "2026-02-01T09:00:00+08:00"),
            ])
            func ids(_ query: String) async throws -> [String] {
                let r = try await client.execute(uri: "/v1/admin/cases" + query, method: .get, headers: F.admin)
                XCTAssertEqual(r.status, .ok, F.text(r))
                return (try F.json(r)["cases"] as? [[String: Any]] ?? []).map { "\($0["platform_id"]!)/\($0["case_id"]!)" }
            }
            var got = try await ids("")
            XCTAssertEqual(got, ["A/c1", "A/c2", "B/c1"], "newest opened first")
            got = try await ids("?state=open")
            XCTAssertEqual(got, ["A/c1", "A/c2"], "an overdue case is still open")
            got = try await ids("?state=overdue")
            XCTAssertEqual(got, ["A/c2"])
            got = try await ids("?state=closed")
            XCTAssertEqual(got, ["B/c1"])
            got = try await ids("?rule=RL-01")
            XCTAssertEqual(got, ["A/c1", "B/c1"])
            got = try await ids("?uscc=\(Self.onlyB)&state=closed")
            XCTAssertEqual(got, ["B/c1"])
            var r = try await client.execute(uri: "/v1/admin/cases?state=shut", method: .get, headers: F.admin)
            XCTAssertEqual(r.status, .badRequest)
            r = try await client.execute(uri: "/v1/admin/cases", method: .get, headers: F.bearer(F.tokens["B"]!))
            XCTAssertEqual(r.status, .forbidden)
            r = try await client.execute(uri: "/v1/admin/cases?rule=RL-02", method: .get, headers: F.admin)
            let lead = (try F.json(r)["cases"] as? [[String: Any]])?.first?["case"] as? [String: Any]
            XCTAssertEqual((lead?["lead"] as? [String: Any])?["kind"] as? String, "违法预警线索")
        }
    }

    /// The merged profile answers "where does this enterprise stand in the sandbox, and why?" in
    /// one request: its roster entry across platforms, every case, the instructions and prompts.
    func testTheProfileShowsTheSandboxStandingCasesInstructionsAndPrompts() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await Self.seed(client)
            _ = try await P.post(client, platform: "B", key: "b2", [
                P.caseItem("B", "c7", uscc: Self.both, rule: "RL-01", state: "overdue", opened: "2026-04-01T09:00:00+08:00"),
                P.caseItem("B", "c3", uscc: Self.both, rule: "RL-02", state: "rectified", opened: "2026-02-01T09:00:00+08:00"),
                P.caseItem("B", "c9", uscc: Self.onlyB, rule: "RL-01", state: "open", opened: "2026-04-02T09:00:00+08:00"),
                P.line("instruction", platform: "B", key: "ins-5", uscc: Self.both,
                       data: ["instruction_id": "ins-5", "type": "suspend", "case_id": "c7", "receipt_state": "pending"]),
                P.line("prompt", platform: "B", key: "ins-6", uscc: Self.both,
                       data: ["prompt_id": "PR-01", "window_key": "2026", "cause": "c", "addressee": "merchant",
                              "issued_at": "2026-04-01T10:00:00+08:00"]),
            ])
            var r = try await client.execute(uri: "/v1/admin/merchants/\(Self.both)", method: .get, headers: F.admin)
            XCTAssertEqual(r.status, .ok, F.text(r))
            let profile = try F.json(r)
            let sandbox = profile["sandbox"] as? [String: Any] ?? [:]
            XCTAssertEqual(sandbox["member"] as? Bool, false, "rated C by B")
            XCTAssertEqual(sandbox["worst_class"] as? String, "C")
            XCTAssertEqual((sandbox["platforms"] as? [[String: Any]])?.map { $0["platform_id"] as? String }, ["A", "B"])
            let cases = profile["cases"] as? [[String: Any]] ?? []
            XCTAssertEqual(cases.map { "\($0["platform_id"]!)/\($0["case_id"]!)/\($0["state"]!)" },
                           ["B/c7/overdue", "B/c3/rectified"], "its cases only, open and closed, newest opened first")
            let instructions = profile["instructions"] as? [[String: Any]] ?? []
            XCTAssertEqual(instructions.map { $0["key"] as? String }, ["ins-5"])
            XCTAssertEqual((instructions.first?["data"] as? [String: Any])?["type"] as? String, "suspend")
            XCTAssertEqual((profile["prompts"] as? [[String: Any]])?.map { $0["key"] as? String }, ["ins-6"])

            // Known to the platforms only through its merchant record: no sandbox standing yet.
            _ = try await P.post(client, platform: "A", key: "a9", [F.merchantLine(platform: "A", id: "m9", uscc: "91510105MA6CXXXX03")])
            r = try await client.execute(uri: "/v1/admin/merchants/91510105MA6CXXXX03", method: .get, headers: F.admin)
            XCTAssertEqual(r.status, .ok, F.text(r))
            let plain = try F.json(r)
            XCTAssertTrue(plain["sandbox"] is NSNull, "\(plain)")
            XCTAssertEqual((plain["cases"] as? [Any])?.count, 0)
        }
    }
}
