import Foundation
import Hummingbird

import SandboxCore
import XCTest
@testable import SandboxRegulator

/// The outcome figures from the counts the intake keeps per day and division (`outcome_counts`)
/// equal what the report counted by scanning the records (OutcomeScanOracle) — for the city and
/// for 2-, 4- and 6-digit regions, through new records, replacements, replays, older versions,
/// records without a USCC, and a USCC that changes; and a database upgraded from before the
/// counts gets them on open.
final class OutcomeCountsTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias P = PolicyItems
    typealias S = StaffAccessTests

    static let jinjiang = S.jinjiang                    // 510104, 成都锦江区
    static let wuhou = S.wuhou                          // 510107, 成都武侯区
    static let jiangyang = S.uscc(region: "510502", 9)  // 泸州江阳区: Sichuan, not Chengdu
    static let tianhe = S.uscc(region: "440106", 8)     // 广州天河区: another province

    static let regions: [String?] = [nil, "51", "5101", "510104", "510107", "5105", "510502", "44", "4401", "440106", "52", "5104"]
    static func day(_ text: String) -> CivilDate { try! DateField.date(text) }
    static let periods: [(CivilDate, CivilDate)] = [
        (day("2026-04-01"), day("2026-04-30")), (day("2026-03-31"), day("2026-03-31")), (day("2026-04-01"), day("2026-04-01")),
        (day("2026-04-10"), day("2026-04-12")), (day("2026-05-01"), day("2026-05-31")), (day("2026-01-01"), day("2026-12-31")),
        (day("2025-01-01"), day("2025-12-31")),
    ]

    /// A feed line with the record's version (nil: none) and a content hash of its data, so the
    /// same data is the same content (a replay) and other data is new content.
    static func line(_ type: String, _ key: String, uscc: String?, version: Int?, platform: String = "A",
                     _ data: [String: Any]) -> String {
        let text = try! JSONSerialization.data(withJSONObject: data, options: [.sortedKeys])
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for byte in text { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        var item: [String: Any] = ["type": type, "platform_id": platform, "key": key, "content_hash": String(hash % 1_000_000_000_000), "data": data]
        if let uscc { item["uscc"] = uscc }
        if let version { item["version"] = version }
        return String(decoding: try! JSONSerialization.data(withJSONObject: item, options: [.sortedKeys]), as: UTF8.self)
    }

    static func caseLine(_ key: String, uscc: String?, version: Int?, platform: String = "A", opened: Any?, rectified: Any? = nil,
                         inTime: Any? = nil, determination: Bool = false) -> String {
        line("case", key, uscc: uscc, version: version, platform: platform, [
            "case_id": key, "rule_id": "RL-02", "state": rectified == nil ? "open" : "rectified",
            "opened_at": opened ?? NSNull(), "rectified_at": rectified ?? NSNull(), "in_time": inTime ?? NSNull(),
            "determination": determination ? ["kind": "no_penalty", "basis": "《行政处罚法》第三十三条"] as [String: Any] : NSNull(),
        ])
    }

    static func prompt(_ key: String, uscc: String?, version: Int?, issued: Any) -> String {
        line("prompt", key, uscc: uscc, version: version, ["prompt_id": "PR-02", "issued_at": issued])
    }

    static func instruction(_ key: String, uscc: String?, version: Int?, type: String, issued: Any) -> String {
        line("instruction", key, uscc: uscc, version: version, ["type": type, "issued_at": issued])
    }

    static func post(_ client: some TestClientProtocol, platform: String = "A", key: String, _ lines: [String]) async throws {
        let (status, answer) = try await P.post(client, platform: platform, key: key, lines)
        XCTAssertEqual(status, .ok, "\(answer)")
        XCTAssertEqual(answer["accepted"] as? Int, lines.count, "\(answer)")
    }

    /// The counted report and the scan, figure by figure, for every period and region; and the
    /// trend's months against the scan of each month.
    static func assertCountsEqualTheScan(_ f: F, periods: [(CivilDate, CivilDate)] = periods, regions: [String?] = regions,
                                         file: StaticString = #filePath, line: UInt = #line) async throws {
        let months = [(day("2026-03-01"), day("2026-03-31")), (day("2026-04-01"), day("2026-04-30")), (day("2026-05-01"), day("2026-05-31"))]
        let (reports, scans, trends, monthScans, storefronts) = try await f.store.read { s in
            var reports: [[OutcomeFigure: Int]] = [], scans: [[OutcomeFigure: Int]] = []
            var trends: [[OutcomeTrendPoint]] = [], monthScans: [[[OutcomeFigure: Int]]] = []
            var storefronts: [(counted: [String: Int], scanned: [String: Int])] = []
            for region in regions {
                for (from, to) in periods {
                    let report = try s.outcomes(from: from, to: to, region: region, now: 0)
                    reports.append(OutcomeScanOracle.figures(of: report))
                    scans.append(try OutcomeScanOracle.figures(s, from: from, to: to, region: region))
                    storefronts.append((OutcomeScanOracle.storefronts(of: report), try OutcomeScanOracle.storefronts(s, region: region)))
                }
                trends.append(try s.outcomeTrend(months.map { (from: $0.0, to: $0.1) }, region: region))
                monthScans.append(try months.map { try OutcomeScanOracle.figures(s, from: $0.0, to: $0.1, region: region) })
            }
            return (reports, scans, trends, monthScans, storefronts)
        }
        var i = 0
        for region in regions {
            for (from, to) in periods {
                XCTAssertEqual(reports[i], scans[i], "\(from)…\(to), region \(region ?? "city")", file: file, line: line)
                XCTAssertEqual(storefronts[i].counted, storefronts[i].scanned, "storefronts, region \(region ?? "city")", file: file, line: line)
                i += 1
            }
        }
        for (r, region) in regions.enumerated() {
            XCTAssertEqual(trends[r].map(\.leads), monthScans[r].map { $0[.leads] }, "trend leads, \(region ?? "city")", file: file, line: line)
            XCTAssertEqual(trends[r].map(\.rectified), monthScans[r].map { $0[.rectified] }, "trend rectified, \(region ?? "city")",
                           file: file, line: line)
        }
    }

    /// April's figures in `region` as counted, for the figures `expected` names (why: the records behind them).
    static func assertApril(_ f: F, region: String? = nil, _ expected: [OutcomeFigure: Int], _ why: String,
                            file: StaticString = #filePath, line: UInt = #line) async throws {
        let report = try await f.store.read { try $0.outcomes(from: day("2026-04-01"), to: day("2026-04-30"), region: region, now: 0) }
        let counted = OutcomeScanOracle.figures(of: report).filter { expected[$0.key] != nil }
        XCTAssertEqual(counted, expected, "April, \(region ?? "city"): \(why)", file: file, line: line)
    }

    /// The batches of the main test, in order: first versions; then replacements, an older
    /// version, a replay; then another platform's record under the same key.
    static func feed(_ client: some TestClientProtocol, after first: (() async throws -> Void)? = nil) async throws {
        let (jj, wh, jy, th) = (jinjiang, wuhou, jiangyang, tianhe)
        try await post(client, key: "oc-1", [
            caseLine("c1", uscc: jj, version: 1, opened: "2026-04-05T09:00:00+08:00"),
            caseLine("c2", uscc: wh, version: 2, opened: "2026-04-06T01:00:00Z", rectified: "2026-04-09T16:30:00Z", inTime: true,
                     determination: true),
            // 00:00 in Chengdu on 1 April, still 31 March in UTC.
            caseLine("c3", uscc: jy, version: 1, opened: "2026-03-31T16:00:00Z"),
            caseLine("c4", uscc: nil, version: 1, opened: "2026-04-07T09:00:00+08:00", rectified: "2026-04-08T09:00:00+08:00",
                     inTime: false),
            // The last second of March in Chengdu.
            caseLine("c5", uscc: th, version: 1, opened: "2026-03-31T15:59:59Z"),
            // Twice in one batch: the later (rectified) is what is stored and counted.
            caseLine("c6", uscc: jj, version: 1, opened: "2026-04-10T09:00:00+08:00"),
            caseLine("c6", uscc: jj, version: 2, opened: "2026-04-10T09:00:00+08:00", rectified: "2026-04-11T09:00:00+08:00",
                     inTime: true),
            prompt("p1", uscc: jj, version: nil, issued: "2026-04-02T08:00:00+08:00"),
            prompt("p2", uscc: nil, version: 1, issued: "2026-04-03T00:30:00Z"),
            prompt("p3", uscc: wh, version: 1, issued: "2026-04-30T16:00:00Z"),
            instruction("i1", uscc: wh, version: 1, type: "suspend", issued: "2026-04-20T09:00:00+08:00"),
            instruction("i2", uscc: jy, version: 1, type: "terminate", issued: "2026-04-21T09:00:00+08:00"),
            instruction("i3", uscc: jj, version: 1, type: "guidance", issued: "2026-04-05T09:00:00+08:00"),
            instruction("i4", uscc: jj, version: 1, type: "takedown", issued: "2026-04-06T09:00:00+08:00"),
            instruction("i5", uscc: nil, version: 1, type: "suspend", issued: "2026-04-22T09:00:00+08:00"),
            instruction("i6", uscc: wh, version: 1, type: "suspend", issued: "2026-04-23T09:00:00+08:00"),
            // Storefronts: two divisions of Chengdu, one elsewhere in Sichuan, one in Guangdong, a natural person.
            F.merchantLine(platform: "A", id: "m1", uscc: jj), F.merchantLine(platform: "A", id: "m2", uscc: wh),
            F.merchantLine(platform: "A", id: "m3", uscc: th), F.merchantLine(platform: "A", id: "m4", uscc: nil),
            F.merchantLine(platform: "A", id: "m5", uscc: jy), F.merchantLine(platform: "A", id: "m6", uscc: jj),
        ])
        try await first?()
        try await post(client, key: "oc-2", [
            // Rectified later, in time, with a recommendation: opened → opened + rectified.
            caseLine("c1", uscc: jj, version: 2, opened: "2026-04-05T09:00:00+08:00", rectified: "2026-04-12T10:00:00+08:00",
                     inTime: true, determination: true),
            // An older version with other content: refused, counts nothing.
            caseLine("c2", uscc: wh, version: 1, opened: "2026-04-06T01:00:00Z"),
            // A replay of what is stored.
            caseLine("c3", uscc: jy, version: 1, opened: "2026-03-31T16:00:00Z"),
            // The rectification withdrawn by a newer version.
            caseLine("c4", uscc: nil, version: 2, opened: "2026-04-07T09:00:00+08:00"),
            // Filed under another enterprise in another division, opened on another day.
            caseLine("c5", uscc: wh, version: 2, opened: "2026-04-15T09:00:00+08:00"),
            // No versions: other content replaces (no version counts as 0).
            prompt("p1", uscc: jj, version: nil, issued: "2026-04-25T08:00:00+08:00"),
            // A suspension turned into guidance, and a terminate that lost its USCC.
            instruction("i6", uscc: wh, version: 2, type: "guidance", issued: "2026-04-23T09:00:00+08:00"),
            line("instruction", "i2", uscc: nil, version: 2,
                 ["type": "terminate", "issued_at": "2026-04-21T09:00:00+08:00", "receipt_state": "received"]),
            // 天河's only storefront moves to 武侯: Guangdong has no enterprise left; one of 锦江's two
            // storefronts moves to 江阳.
            F.merchantLine(platform: "A", id: "m3", uscc: wh, hash: "2"), F.merchantLine(platform: "A", id: "m6", uscc: jy, hash: "2"),
        ])
        // Another platform's case under the same key is another record.
        try await post(client, platform: "B", key: "oc-3", [
            caseLine("c1", uscc: jj, version: 1, platform: "B", opened: "2026-05-02T09:00:00+08:00"),
            F.merchantLine(platform: "B", id: "n1", uscc: jj), F.merchantLine(platform: "B", id: "n2", uscc: th),
        ])
    }

    func testTheCountsEqualTheScanThroughReplacementsForTheCityAndEveryRegion() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await Self.feed(client, after: {
                try await Self.assertCountsEqualTheScan(f)
                try await Self.assertApril(f, [.leads: 5, .rectified: 3, .rectifiedInTime: 2, .suspensions: 3],
                                           "leads c1, c2, c3 (00:00 on 1 April in Chengdu), c4, c6 (c5 is March); rectified c2, c4, c6; "
                                               + "suspended i1, i5 (no USCC), i6")
                try await Self.assertApril(f, region: "510104", [.leads: 2, .rectified: 1], "c1, c6: the later of its two versions")
            })
            try await Self.assertCountsEqualTheScan(f)
            try await Self.assertApril(f, [.leads: 6, .rectified: 3, .rectifiedInTime: 3, .noPenaltyRecommendations: 2, .promptsPushed: 2,
                                           .suspensions: 2, .terminations: 1, .takedowns: 1],
                                       "c5 moved into April; c1 rectified, c4's rectification withdrawn, c2's older version refused; "
                                           + "p1 moved within April, p3 is 1 May in Chengdu; i6 became guidance; i2 lost its USCC")
            try await Self.assertApril(f, region: "510104", [.leads: 2, .rectified: 2, .noPenaltyRecommendations: 1],
                                       "c1 and c6; platform B's c1 is May")
            try await Self.assertApril(f, region: "5105", [.leads: 1, .terminations: 0], "c3; i2 lost its USCC")
            try await Self.assertApril(f, region: "44", [.leads: 0], "c5 moved to 武侯区")
            let storefronts = try await f.store.read { s in
                try [nil, "510104", "44"].map { OutcomeScanOracle.storefronts(of: try s.outcomes(from: Self.day("2026-04-01"), to: Self.day("2026-04-30"), region: $0, now: 0)) }
            }
            XCTAssertEqual(storefronts, [["merchants": 8, "enterprises": 4, "platforms": 2], ["merchants": 2, "enterprises": 1, "platforms": 2],
                                         ["merchants": 1, "enterprises": 1, "platforms": 1]],
                           "the city: 6 on A, 2 on B; 锦江: m1, n1; 天河: n2 on B after m3 moved away")
            let withoutUSCC = try await f.store.read {
                try $0.database.int64("SELECT count(*) FROM outcome_counts WHERE division = '' AND records <> 0")
            }
            XCTAssertEqual(withoutUSCC, 4, "the records without a USCC have rows of their own: c4's lead, p2, i5, i2")
        }
    }

    /// Times as SQLite's julianday reads them, beyond RFC 3339: the kept counts put each on the
    /// scan's day (all but `now`: SQLiteTime). PostgreSQL's julianday (PostgresSchema) fails on
    /// text that is no time and reads a time without a zone in the session's zone, so this
    /// comparison is SQLite's alone.
    func testTimesAreReadAsTheScanReadThem() async throws {
        let f = try F(); defer { f.remove() }
        try XCTSkipIf(f.postgres != nil, "SQLite's julianday is the reference; PostgreSQL's scan refuses these texts")
        let times: [Any] = [
            "2026-04-05 20:00:00", "2026-04-05T15:59:59", "2026-04-05T16:00", "2026-04-05", "2026-04-05T", "2026-04-05TT 10:00:00 +08:00 ",
            "2026-02-30", "2026-04-05T24:00", "2026-04-05T15:59:59.9996Z", "2026-04-05T15:59:59.9994Z", "2026-04-05T10:00:00+0800",
            "2026-04-05T10:00:00+08", "2026-04-05Z", "2026/04/05", "yesterday", "", "2026-04-05T10:00:00+14:59", "2026-04-05t10:00",
            "2026-04-05T23:30:00-05:00", "20260405", "2026-04-05T10:00:00.z", "2026-04-05 10:00:00z", 2_461_136.0, 2_461_135.8,
            2_461_136, ["2026-04-05"], ["at": "2026-04-05"], true, "10:00", "2461136.5", " 2461135.9 ",
        ]
        var lines: [String] = []
        for (n, time) in times.enumerated() {
            lines.append(Self.caseLine("t\(n)", uscc: Self.jinjiang, version: 1, opened: time is String ? time : "2026-04-05",
                                       rectified: time is String ? time : nil, inTime: [true, 1, 1.0, "true", 0, false][n % 6]))
            lines.append(Self.instruction("j\(n)", uscc: Self.wuhou, version: 1, type: "suspend", issued: time))
            lines.append(Self.prompt("q\(n)", uscc: nil, version: 1, issued: time is String ? time : NSNull()))
        }
        let batch = lines
        try await f.app().test(.router) { client in try await Self.post(client, key: "times", batch) }
        var days: [(CivilDate, CivilDate)] = (0..<12).map { n in (Self.day("2026-03-01").adding(days: n), Self.day("2026-03-01").adding(days: n)) }
        days += (0..<4).map { n in (Self.day("2026-04-04").adding(days: n), Self.day("2026-04-04").adding(days: n)) }
        days += [(Self.day("2000-01-01"), Self.day("2000-01-01")), (Self.day("2026-01-01"), Self.day("2026-12-31"))]
        try await Self.assertCountsEqualTheScan(f, periods: days, regions: [nil, "51", "510104", "510107"])
        let year = try await f.store.read { try $0.outcomes(from: Self.day("2026-01-01"), to: Self.day("2026-12-31"), region: nil, now: 0) }
        XCTAssertGreaterThan(year.leads, 15, "most of the texts are times SQLite reads")
        XCTAssertGreaterThan(year.suspensions, 15)
        XCTAssertGreaterThan(year.rectifiedInTime, 5)
    }

    /// A database from before the counts (records stored, no `outcome_counts` nor division
    /// figures) gets them when it is opened: the same rows the intake kept, and the scan's figures.
    func testADatabaseWithRecordsButNoCountsGetsThemOnOpen() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in try await Self.feed(client) }
        func rows(_ store: RegulatorStore) async throws -> [String] {
            try await store.read { s in
                var out: [String] = []
                for sql in ["SELECT day, division, figure, records FROM outcome_counts WHERE records <> 0 ORDER BY day, division, figure",
                            "SELECT division, platform_id, '', merchants FROM division_storefronts WHERE merchants <> 0 ORDER BY division, platform_id",
                            "SELECT division, '', '', enterprises FROM division_enterprises WHERE enterprises <> 0 ORDER BY division",
                            "SELECT division, '', 'trading', trading FROM division_enterprises WHERE trading <> 0 ORDER BY division",
                            "SELECT uscc, '', 'trading', trading FROM enterprises WHERE trading <> 0 ORDER BY uscc"] {
                    let q = try s.database.prepare(sql)
                    defer { q.reset() }
                    while try q.step() { out.append("\(q.string(0) ?? "") \(q.string(1) ?? "") \(q.string(2) ?? "") \(q.int(3))") }
                }
                return out
            }
        }
        let kept = try await rows(f.store)
        XCTAssertFalse(kept.isEmpty)
        // Back to the schema before the counts, with every record still there (the steps after
        // them undone by rewindSchema).
        try await f.store.write { s in
            try f.rewindSchema(s, toBefore: RegulatorSchema.outcomeFiguresVersion, PostgresSchema.outcomeFiguresVersion)
            for table in ["outcome_counts", "division_storefronts", "division_enterprises"] { try s.database.execute("DROP TABLE \(table)") }
        }
        let reopened = try F.makeStore(folder: f.folder, postgres: f.postgres)
        defer { reopened.backend.close() }
        let backfilled = try await rows(reopened)
        XCTAssertEqual(backfilled, kept)
        let version = try await reopened.read { s in
            try s.database.int64(f.postgres == nil ? "PRAGMA user_version" : "SELECT max(version) FROM regulator_schema")
        }
        XCTAssertEqual(Int(version ?? 0), f.postgres == nil ? RegulatorSchema.steps.count : PostgresSchema.steps.count)
        let (report, scan, storefronts) = try await reopened.read { s in
            let report = try s.outcomes(from: Self.day("2026-04-01"), to: Self.day("2026-04-30"), region: "5101", now: 0)
            return (OutcomeScanOracle.figures(of: report), try OutcomeScanOracle.figures(s, from: Self.day("2026-04-01"), to: Self.day("2026-04-30"), region: "5101"),
                    (OutcomeScanOracle.storefronts(of: report), try OutcomeScanOracle.storefronts(s, region: "5101")))
        }
        XCTAssertEqual(report, scan)
        XCTAssertEqual(storefronts.0, storefronts.1)
    }
}
