import Foundation
import Hummingbird

import SandboxCore
import XCTest
@testable import SandboxRegulator

/// The seed's outcome figures, counted from what the platforms filed and the bureaus recorded,
/// for a period and a region.
final class OutcomesTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias P = PolicyItems
    typealias S = StaffAccessTests

    static func caseData(_ id: String, opened: String, rectified: String?, inTime: Bool?, determination: Bool) -> [String: Any] {
        ["case_id": id, "rule_id": "RL-02", "state": rectified == nil ? "open" : "rectified", "opened_at": opened,
         "deadline": "2026-05-01", "rectified_at": rectified as Any? ?? NSNull(), "in_time": inTime as Any? ?? NSNull(),
         "determination": determination ? ["kind": "no_penalty", "basis": "《行政处罚法》第三十三条"] as [String: Any] : NSNull()]
    }

    static func seed(_ client: some TestClientProtocol) async throws {
        let jj = S.jinjiang, wh = S.wuhou
        let lines = [
            S.merchant("m1", uscc: jj, region: "510104"), S.merchant("m2", uscc: wh, region: "510107"),
            S.merchant("m3", uscc: wh, region: "510107"),
            P.line("prompt", platform: "A", key: "p1", uscc: jj, data: ["prompt_id": "PR-02", "issued_at": "2026-04-02T08:00:00+08:00"]),
            P.line("prompt", platform: "A", key: "p2", uscc: wh, data: ["prompt_id": "PR-02", "issued_at": "2026-04-03T00:30:00Z"]),
            // Before the period (the last minute of March in Chengdu, though it is still 31 March in UTC…).
            P.line("prompt", platform: "A", key: "p3", uscc: wh, data: ["prompt_id": "PR-02", "issued_at": "2026-03-31T23:59:00+08:00"]),
            P.line("case", platform: "A", key: "c1", uscc: jj,
                   data: caseData("c1", opened: "2026-04-05T09:00:00+08:00", rectified: "2026-04-10T09:00:00+08:00", inTime: true, determination: true)),
            P.line("case", platform: "A", key: "c2", uscc: wh,
                   data: caseData("c2", opened: "2026-04-06T09:00:00+08:00", rectified: "2026-05-10T09:00:00+08:00", inTime: false, determination: false)),
            P.line("case", platform: "A", key: "c3", uscc: wh,
                   data: caseData("c3", opened: "2026-04-07T09:00:00+08:00", rectified: nil, inTime: nil, determination: false)),
            P.line("instruction", platform: "A", key: "i1", uscc: wh, data: ["type": "suspend", "issued_at": "2026-04-20T09:00:00+08:00"]),
            P.line("instruction", platform: "A", key: "i2", uscc: wh, data: ["type": "terminate", "issued_at": "2026-04-21T09:00:00+08:00"]),
            P.line("instruction", platform: "A", key: "i3", uscc: jj, data: ["type": "guidance", "issued_at": "2026-04-05T09:00:00+08:00"]),
            P.line("instruction", platform: "A", key: "i4", uscc: jj, data: ["type": "takedown", "issued_at": "2026-04-06T09:00:00+08:00"]),
            P.roster("A", "m1", uscc: jj, member: true), P.creditClass("A", "m1", uscc: jj, "A"),
        ]
        let (status, answer) = try await P.post(client, platform: "A", key: "outcomes-1", lines)
        XCTAssertEqual(status, .ok)
        XCTAssertEqual(answer["accepted"] as? Int, lines.count, "\(answer)")
    }

    func testTheFiguresForAPeriodAndARegion() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await Self.seed(client)
            var r = try await client.execute(uri: "/v1/admin/associations/food/members", method: .post, headers: F.admin,
                                             body: F.buffer(Array(#"{"usccs":["\#(S.wuhou)"]}"#.utf8)))
            XCTAssertEqual(r.status, .ok)
            // The bureau closes c2 with a penalty.
            for json in [#"{"action":"verify","note":"核查属实"}"#, #"{"action":"file","note":"立案"}"#,
                         #"{"action":"close","measure":"罚款","penalty_fen":300000}"#] {
                r = try await client.execute(uri: "/v1/admin/leads/A/c2/steps", method: .post, headers: F.admin, body: F.buffer(Array(json.utf8)))
                XCTAssertEqual(r.status, .created, F.text(r))
            }
            let year = CivilDate(unixTime: Timestamp.now()).year
            r = try await client.execute(uri: "/v1/admin/reports/outcomes?from=2026-04-01&to=2026-04-30", method: .get, headers: F.admin)
            XCTAssertEqual(r.status, .ok, F.text(r))
            let all = try F.json(r)
            XCTAssertEqual(all["platforms"] as? Int, 1)
            XCTAssertEqual(all["associations"] as? Int, 1)
            XCTAssertEqual(all["merchants"] as? Int, 3)
            XCTAssertEqual(all["enterprises"] as? Int, 2)
            XCTAssertEqual(all["sandbox_members"] as? Int, 1)
            XCTAssertEqual(all["prompts_pushed"] as? Int, 2, "the prompt of 31 March (Chengdu time) is outside April")
            XCTAssertEqual(all["leads"] as? Int, 3)
            XCTAssertEqual(all["rectified"] as? Int, 1, "c2 was rectified in May")
            XCTAssertEqual(all["rectified_in_time"] as? Int, 1)
            XCTAssertEqual(all["no_penalty_recommendations"] as? Int, 1)
            XCTAssertEqual(all["suspensions"] as? Int, 1)
            XCTAssertEqual(all["takedowns"] as? Int, 1, "下架 counts too")
            XCTAssertEqual(all["terminations"] as? Int, 1)
            XCTAssertEqual(all["no_penalty_decisions"] as? Int, 0, "no officer decided yet")
            XCTAssertEqual(all["repairs"] as? Int, 0)
            // The lead was closed today, so within this year, not within April 2026 (unless today is in it).
            r = try await client.execute(uri: "/v1/admin/reports/outcomes?from=\(year)-01-01&to=\(year)-12-31", method: .get, headers: F.admin)
            XCTAssertEqual(try F.json(r)["leads_closed"] as? Int, 1)
            XCTAssertEqual(try F.json(r)["penalties_fen"] as? Int, 300_000)

            // 锦江区 alone; and a district officer gets its own division whatever it asks.
            r = try await client.execute(uri: "/v1/admin/reports/outcomes?from=2026-04-01&to=2026-04-30&region=510104", method: .get, headers: F.admin)
            let jinjiang = try F.json(r)
            XCTAssertEqual(jinjiang["merchants"] as? Int, 1)
            XCTAssertEqual(jinjiang["leads"] as? Int, 1)
            XCTAssertEqual(jinjiang["suspensions"] as? Int, 0)
            try await S.addStaff(client, "wuhou-1", role: "district", district: "510107")
            let officer = try await S.login(client, "wuhou-1")
            r = try await client.execute(uri: "/v1/admin/reports/outcomes?from=2026-04-01&to=2026-04-30", method: .get, headers: officer)
            XCTAssertEqual(try F.json(r)["region"] as? String, "510107")
            XCTAssertEqual(try F.json(r)["merchants"] as? Int, 2)
            r = try await client.execute(uri: "/v1/admin/reports/outcomes?region=510104", method: .get, headers: officer)
            XCTAssertEqual(r.status, .forbidden)
            r = try await client.execute(uri: "/v1/admin/reports/outcomes?from=2026-05-01&to=2026-04-01", method: .get, headers: F.admin)
            XCTAssertEqual(r.status, .badRequest)
            try await S.addStaff(client, "food", role: "association", association: "food")
            r = try await client.execute(uri: "/v1/admin/reports/outcomes", method: .get, headers: try await S.login(client, "food"))
            XCTAssertEqual(r.status, .forbidden)
        }
    }

    /// The merchants are the storefronts trading (issue 13): a storefront the platform reports
    /// closed leaves the figure — the city's and its region's — and comes back when it reopens; a
    /// natural person's closed shop (no USCC) leaves the city's total. The closed storefronts are
    /// kept per division by the intake (RegulatorSchema.closedCounts), and give the figure a scan
    /// of the merchant records gives (OutcomeScanOracle), through moves between divisions; a
    /// store from before the kept counts (the partial index it replaced) gets them on open.
    func testClosedStorefrontsAreNoMerchants() async throws {
        let f = try F(); defer { f.remove() }
        @Sendable func merchants(_ store: RegulatorStore, _ region: String? = nil) async throws -> Int {
            let (kept, scanned) = try await store.read { s in
                (try s.outcomes(from: CivilDate(year: 2026, month: 4, day: 1)!, to: CivilDate(year: 2026, month: 4, day: 30)!,
                                region: region, now: 0).merchants,
                 try OutcomeScanOracle.storefronts(s, region: region)["merchants"]!)
            }
            XCTAssertEqual(kept, scanned, "kept against a scan of the storefronts, region \(region ?? "city")")
            return kept
        }
        try await f.app().test(.router) { client in
            try await Self.seed(client)
            func merchants(_ region: String? = nil) async throws -> Int? {
                let r = try await client.execute(uri: "/v1/admin/reports/outcomes?from=2026-04-01&to=2026-04-30"
                                                     + (region.map { "&region=\($0)" } ?? ""), method: .get, headers: F.admin)
                return try F.json(r)["merchants"] as? Int
            }
            func file(_ key: String, _ lines: [String]) async throws {
                let (status, answer) = try await P.post(client, platform: "A", key: key, lines)
                XCTAssertEqual(status, .ok)
                XCTAssertEqual(answer["accepted"] as? Int, lines.count, "\(answer)")
            }
            func storefront(_ id: String, uscc: String?, status: String, hash: String) -> String {
                P.line("merchant", platform: "A", key: id, uscc: uscc, hash: hash,
                       data: ["platform_merchant_id": id, "shop_name": "店\(id)", "region_code": "510107", "status": status])
            }
            try await file("closed-1", [storefront("m3", uscc: S.wuhou, status: "closed", hash: "11"),
                                        storefront("np1", uscc: nil, status: "active", hash: "21")])
            var all = try await merchants(), wuhou = try await merchants("510107")
            XCTAssertEqual(all, 3, "m1, m2 and the natural person's shop trade; m3 closed")
            XCTAssertEqual(wuhou, 1)
            try await file("closed-2", [storefront("m3", uscc: S.wuhou, status: "active", hash: "12"),
                                        storefront("np1", uscc: nil, status: "closed", hash: "22")])
            all = try await merchants(); wuhou = try await merchants("510107")
            XCTAssertEqual(all, 3, "m3 reopened; the natural person's shop closed")
            XCTAssertEqual(wuhou, 2)
            // A closed storefront moves from 武侯 to 锦江, and one closes under 锦江 in its other spelling.
            try await file("closed-3", [storefront("m3", uscc: S.wuhou, status: "closed", hash: "13")])
            try await file("closed-4", [storefront("m3", uscc: S.jinjiang, status: "closed", hash: "14"),
                                        storefront("m1", uscc: S.jinjiang, status: "关闭", hash: "15")])
        }
        let regions: [String?] = [nil, "51", "5101", "510107", "510104", ""]
        var before: [Int] = []
        for region in regions { before.append(try await merchants(f.store, region)) }
        XCTAssertEqual(Array(before.prefix(5)), [1, 1, 1, 1, 0], "m2 trades in 武侯; m1, m3 (锦江) and the natural person's shop are closed")
        // Back to the schema before the kept counts, the partial index in their place: opening
        // counts them from the records.
        try await f.store.write { s in
            try f.rewindSchema(s, toBefore: RegulatorSchema.closedCountsVersion, PostgresSchema.closedCountsVersion)
        }
        let reopened = try F.makeStore(folder: f.folder, postgres: f.postgres)
        defer { reopened.backend.close() }
        var after: [Int] = []
        for region in regions { after.append(try await merchants(reopened, region)) }
        XCTAssertEqual(after, before)
    }

    /// The enterprises are those with a storefront still trading (issue 13, as the merchants are
    /// the storefronts trading): an enterprise whose every storefront the platforms report closed
    /// leaves the figure — the city's and its region's — and comes back when one reopens; one
    /// closed storefront of two leaves it in. A store from before the kept figure gets it on open.
    func testEnterprisesWithEveryStorefrontClosedAreNoEnterprises() async throws {
        let f = try F(); defer { f.remove() }
        @Sendable func enterprises(_ store: RegulatorStore, _ region: String? = nil) async throws -> [Int] {
            let oracle = try await store.read { s in
                (try s.outcomes(from: CivilDate(year: 2026, month: 4, day: 1)!, to: CivilDate(year: 2026, month: 4, day: 30)!,
                                region: region, now: 0).enterprises,
                 try OutcomeScanOracle.storefronts(s, region: region)["enterprises"]!)
            }
            XCTAssertEqual(oracle.0, oracle.1, "kept against a scan of the storefronts, region \(region ?? "city")")
            return [oracle.0]
        }
        try await f.app().test(.router) { client in
            try await Self.seed(client)
            func file(_ platform: String, _ key: String, _ lines: [String]) async throws {
                let (status, answer) = try await P.post(client, platform: platform, key: key, lines)
                XCTAssertEqual(status, .ok)
                XCTAssertEqual(answer["accepted"] as? Int, lines.count, "\(answer)")
            }
            func storefront(_ platform: String, _ id: String, uscc: String?, status: String, hash: String) -> String {
                P.line("merchant", platform: platform, key: id, uscc: uscc, hash: hash,
                       data: ["platform_merchant_id": id, "shop_name": "店\(id)", "region_code": "510107", "status": status])
            }
            var city = try await enterprises(f.store), wuhou = try await enterprises(f.store, "510107")
            XCTAssertEqual(city + wuhou, [2, 1], "锦江's m1; 武侯's m2 and m3")
            try await file("A", "e-1", [storefront("A", "m3", uscc: S.wuhou, status: "closed", hash: "11")])
            city = try await enterprises(f.store); wuhou = try await enterprises(f.store, "510107")
            XCTAssertEqual(city + wuhou, [2, 1], "武侯 still trades in m2")
            // Its last storefront closes, a storefront of its on platform B opens closed, m1 is
            // written again unchanged in its status.
            try await file("A", "e-2", [storefront("A", "m2", uscc: S.wuhou, status: "关闭", hash: "12"),
                                        storefront("A", "m1", uscc: S.jinjiang, status: "active", hash: "13")])
            try await file("B", "e-3", [storefront("B", "n1", uscc: S.wuhou, status: "closed", hash: "14")])
            city = try await enterprises(f.store); wuhou = try await enterprises(f.store, "510107")
            XCTAssertEqual(city + wuhou, [1, 0], "every storefront of 武侯's is closed")
            // A closed storefront moves to 锦江 (changing nothing), then B's reopens.
            try await file("A", "e-4", [storefront("A", "m3", uscc: S.jinjiang, status: "closed", hash: "15")])
            city = try await enterprises(f.store); wuhou = try await enterprises(f.store, "510107")
            XCTAssertEqual(city + wuhou, [1, 0])
            try await file("B", "e-5", [storefront("B", "n1", uscc: S.wuhou, status: "active", hash: "16")])
            city = try await enterprises(f.store); wuhou = try await enterprises(f.store, "510107")
            XCTAssertEqual(city + wuhou, [2, 1], "武侯 trades again on B")
            try await file("B", "e-6", [storefront("B", "n1", uscc: S.wuhou, status: "closed", hash: "17")])
        }
        let before = try await enterprises(f.store) + enterprises(f.store, "510107") + enterprises(f.store, "510104")
        XCTAssertEqual(before, [1, 0, 1])
        // Back to the schema before the kept figure: opening fills it from the storefronts.
        try await f.store.write { s in
            try f.rewindSchema(s, toBefore: RegulatorSchema.tradingEnterprisesVersion, PostgresSchema.tradingEnterprisesVersion)
        }
        let reopened = try F.makeStore(folder: f.folder, postgres: f.postgres)
        defer { reopened.backend.close() }
        let after = try await enterprises(reopened) + enterprises(reopened, "510107") + enterprises(reopened, "510104")
        XCTAssertEqual(after, before)
    }

    /// The dashboard's trend, read in one go, gives each month the counts of that month's report.
    func testTheTrendEqualsEachMonthsReport() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in try await Self.seed(client) }
        let months = [(CivilDate(year: 2026, month: 3, day: 1)!, CivilDate(year: 2026, month: 3, day: 31)!),
                      (CivilDate(year: 2026, month: 4, day: 1)!, CivilDate(year: 2026, month: 4, day: 30)!),
                      (CivilDate(year: 2026, month: 5, day: 1)!, CivilDate(year: 2026, month: 5, day: 31)!)]
        for region in [nil, "510107", "510104"] as [String?] {
            let (trend, reports) = try await f.store.read { s in
                (try s.outcomeTrend(months.map { (from: $0.0, to: $0.1) }, region: region),
                 try months.map { try s.outcomes(from: $0.0, to: $0.1, region: region, now: 0) })
            }
            XCTAssertEqual(trend.map(\.leads), reports.map(\.leads), "leads, region \(region ?? "all")")
            XCTAssertEqual(trend.map(\.rectified), reports.map(\.rectified), "rectified, region \(region ?? "all")")
            XCTAssertEqual(trend.map(\.leadsClosed), reports.map(\.leadsClosed), "closed, region \(region ?? "all")")
        }
        let all = try await f.store.read { try $0.outcomeTrend(months.map { (from: $0.0, to: $0.1) }, region: nil) }
        XCTAssertEqual(all.map(\.leads), [0, 3, 0], "the seed's three cases opened in April")
    }
}
