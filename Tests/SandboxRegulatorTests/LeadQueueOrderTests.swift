import Foundation
import Hummingbird

import SandboxCore
import XCTest
@testable import SandboxRegulator

/// The queue read from the kept sort keys (`lead_queue`) gives the leads, in the order, that the
/// queue gave when it sorted the case items themselves (the oracle below is that query, reading
/// `records` and `leads` directly): for the city, districts by registration and by storefront,
/// an association, every filter and a short page, two days — through cases and storefronts that
/// change, lead steps, and an upgrade from a store without the table.
final class LeadQueueOrderTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias O = OutcomeCountsTests
    typealias S = StaffAccessTests

    static let jinjiang = S.jinjiang                // 510104
    static let wuhou = S.wuhou                      // 510107
    static let shopInJinjiang = S.wuhouShopInJinjiang  // registered in 510107, a storefront in 510104
    static let jiangyang = S.uscc(region: "510502", 9)
    static let enterprises: [String?] = [jinjiang, wuhou, shopInJinjiang, nil, jiangyang]

    static let jurisdictions: [Jurisdiction] = [.everything, .district("510104"), .district("510107"), .district("510105"),
                                                .district("510502"), .district("440106"), .association("assoc-1")]
    static let filters: [LeadFilter] = [
        LeadFilter(jurisdiction: .everything, pending: true), LeadFilter(jurisdiction: .everything),
        LeadFilter(jurisdiction: .everything, stage: .new), LeadFilter(jurisdiction: .everything, stage: .assigned, pending: true),
        LeadFilter(jurisdiction: .everything, stage: .transferred), LeadFilter(jurisdiction: .everything, stage: .transferred, pending: true),
        LeadFilter(jurisdiction: .everything, assignee: "officer-1"), LeadFilter(jurisdiction: .everything, uscc: jinjiang),
        LeadFilter(jurisdiction: .everything, pending: true, uscc: shopInJinjiang),
    ]

    /// A case item: every combination of state, deadline (before, on and after the days asked,
    /// none) and opened time (ties, none) comes round over the keys; both platforms use the
    /// same keys, so ties fall to the platform and the key.
    static func caseLine(_ i: Int, platform: String, variant: Int = 0) -> String {
        let states = ["open", "overdue", "rectified", "open", "overdue", "terminated", "open"]
        let deadlines: [String?] = ["2026-04-30", "2026-05-01", nil, "2026-05-02", "2026-04-01", "2026-04-15", nil, "2026-05-01"]
        let opened: [String?] = ["2026-04-20T09:00:00+08:00", nil, "2026-04-01T09:00:00+08:00", "2026-04-20T09:00:00+08:00"]
        let n = i + variant * 3
        let data: [String: Any] = [
            "case_id": "c\(i)", "rule_id": "RL-0\(n % 3 + 1)", "state": states[n % states.count],
            "deadline": deadlines[n % deadlines.count] ?? NSNull(), "opened_at": opened[n % opened.count] ?? NSNull(),
        ]
        return O.line("case", "c\(i)", uscc: enterprises[(i + variant) % enterprises.count], version: variant + 1,
                      platform: platform, data)
    }

    static func merchant(_ id: String, platform: String, uscc: String, region: String, version: Int = 1) -> String {
        O.line("merchant", id, uscc: uscc, version: version, platform: platform,
               ["platform_merchant_id": id, "shop_name": "店\(id)", "region_code": region, "filed": version])
    }

    /// The queue as it was read before the sort keys were kept: every case, its jurisdiction
    /// checked by StoreSession.jurisdictionClause, sorted by its item's fields. The overdue test
    /// is false where SQL makes it NULL (neither overdue nor a deadline), as SQLite sorted it;
    /// PostgreSQL put those first (NULL sorts first when descending there), which was a slip.
    static func oracle(_ s: StoreSession, _ filter: LeadFilter, today: CivilDate, limit: Int) throws -> [String] {
        let (clause, value) = StoreSession.jurisdictionClause(filter.jurisdiction)
        let finals = LeadStage.allCases.filter(\.isFinal).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let q = try s.database.prepare("""
            SELECT r.platform_id, r.key, coalesce(l.stage, 'new') FROM records r
            LEFT JOIN leads l ON l.platform_id = r.platform_id AND l.case_key = r.key
            WHERE r.type = 'case' AND \(clause)
              AND (?1 IS NULL OR coalesce(l.stage, 'new') = ?1) AND (?2 = 0 OR coalesce(l.stage, 'new') NOT IN (\(finals)))
              AND (?3 IS NULL OR l.assignee = ?3) AND (?4 IS NULL OR r.uscc = ?4)
            ORDER BY coalesce(json_extract(r.data, '$.state') = 'overdue' OR json_extract(r.data, '$.deadline') < ?5, FALSE) DESC,
                     json_extract(r.data, '$.deadline') IS NULL, json_extract(r.data, '$.deadline'),
                     json_extract(r.data, '$.opened_at'), r.platform_id, r.key
            LIMIT ?6
            """)
        defer { q.reset() }
        try q.bind(all: filter.stage?.rawValue, filter.pending, filter.assignee, filter.uscc, today.description, limit)
        if let value { try q.bind(10, value) }
        var out: [String] = []
        while try q.step() { out.append("\(q.string(0) ?? "")/\(q.string(1) ?? "") \(q.string(2) ?? "")") }
        return out
    }

    /// Every jurisdiction × filter × page size × day: the kept queue equals the oracle.
    static func assertQueuesEqualTheOracle(_ store: RegulatorStore, _ why: String, file: StaticString = #filePath,
                                           line: UInt = #line) async throws {
        let pairs = try await store.read { s in
            var pairs: [(String, [String], [String])] = []
            for jurisdiction in jurisdictions {
                for var filter in filters {
                    filter.jurisdiction = jurisdiction
                    for limit in [500, 4] {
                        for day in ["2026-05-01", "2026-04-15"] {
                            let today = O.day(day)
                            let kept = try s.leads(filter, today: today, limit: limit).map { "\($0.platformID)/\($0.caseID) \($0.stage.rawValue)" }
                            pairs.append(("\(jurisdiction) \(filter) limit \(limit) on \(day)", kept,
                                          try oracle(s, filter, today: today, limit: limit)))
                        }
                    }
                }
            }
            return pairs
        }
        for (what, kept, oracle) in pairs { XCTAssertEqual(kept, oracle, "\(why): \(what)", file: file, line: line) }
        XCTAssertTrue(pairs.contains { $0.1.count >= 4 }, "the fixture fills a page", file: file, line: line)
    }

    static func feed(_ client: some TestClientProtocol) async throws {
        try await O.post(client, key: "q-1", (0..<21).map { caseLine($0, platform: "A") } + [
            merchant("m1", platform: "A", uscc: jinjiang, region: "510104"), merchant("m2", platform: "A", uscc: wuhou, region: "510107"),
            merchant("m5", platform: "A", uscc: jiangyang, region: "510502"),
        ])
        try await O.post(client, platform: "B", key: "q-2", (0..<14).map { caseLine($0, platform: "B") } + [
            merchant("n1", platform: "B", uscc: shopInJinjiang, region: "510104"),
        ])
    }

    func testTheKeptQueueSortsAndFiltersAsTheCaseItemsDid() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await Self.feed(client)
            try await f.store.write { s in
                try s.database.execute("INSERT INTO association_members (association, uscc, added_at) VALUES ('assoc-1', '\(Self.wuhou)', 0)")
            }
            try await Self.assertQueuesEqualTheOracle(f.store, "as fed")
            // Lead steps: some assigned, some worked to a final stage.
            let today = O.day("2026-05-01")
            try await f.store.write { s in
                for key in ["c0", "c3", "c4", "c8", "c11"] {
                    _ = try s.recordLeadStep(platformID: "A", caseID: key, LeadStep(action: .assign, assignee: "officer-1"), officer: "chief",
                                             role: "district", now: 1_000, today: today)
                }
                for key in ["c3", "c8", "c2"] {
                    _ = try s.recordLeadStep(platformID: "A", caseID: key, LeadStep(action: .verify, note: "核查"), officer: "officer-1",
                                             role: "district", now: 2_000, today: today)
                    _ = try s.recordLeadStep(platformID: "A", caseID: key, LeadStep(action: .transfer, transferredTo: "公安"),
                                             officer: "officer-1", role: "district", now: 3_000, today: today)
                }
            }
            try await Self.assertQueuesEqualTheOracle(f.store, "after lead steps")
            // Cases change state, deadline and enterprise; a storefront moves from 锦江 to 青羊
            // and another enterprise opens one in 锦江; a storefront sent again changes nothing.
            try await O.post(client, key: "q-3", (0..<8).map { Self.caseLine($0, platform: "A", variant: 1) } + [
                Self.merchant("m1", platform: "A", uscc: Self.jinjiang, region: "510104"),
                Self.merchant("m6", platform: "A", uscc: Self.jiangyang, region: "510104"),
            ])
            try await O.post(client, platform: "B", key: "q-4", [
                Self.merchant("n1", platform: "B", uscc: Self.shopInJinjiang, region: "510105", version: 2),
                Self.caseLine(9, platform: "B"),
            ])
            try await Self.assertQueuesEqualTheOracle(f.store, "after changes")
            // A storefront filed under another enterprise takes its region from the first; an older
            // version of a case changes nothing.
            try await O.post(client, key: "q-5", [Self.merchant("m6", platform: "A", uscc: Self.wuhou, region: "510104", version: 2),
                                                  Self.caseLine(1, platform: "A")])
            try await Self.assertQueuesEqualTheOracle(f.store, "after a storefront changed enterprise")
        }
    }

    /// A store from before the kept keys (schema one step back, no `lead_queue`) gets them on open.
    func testAStoreWithoutTheKeptKeysGetsThemOnOpen() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in try await Self.feed(client) }
        try await f.store.write { s in
            _ = try s.recordLeadStep(platformID: "A", caseID: "c1", LeadStep(action: .assign, assignee: "officer-1"), officer: "chief",
                                     role: "district", now: 1_000, today: O.day("2026-05-01"))
            try f.rewindSchema(s, toBefore: RegulatorSchema.leadQueueVersion, PostgresSchema.leadQueueVersion)
        }
        let reopened = try F.makeStore(folder: f.folder, postgres: f.postgres)
        defer { reopened.backend.close() }
        try await Self.assertQueuesEqualTheOracle(reopened, "after the upgrade")
    }
}
