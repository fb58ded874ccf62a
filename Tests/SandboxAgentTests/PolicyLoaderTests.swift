import Foundation
import SandboxCore
import SandboxPack
import SandboxPolicy
import TestSupport
import XCTest
@testable import SandboxAgent

/// The loader reads the events and the registry on threads of their own and pairs the events'
/// owners with the merchants' rows by one walk in id order (issue 16, session 41). What it loads
/// must be what the state holds, row by row, whichever way the walk goes: every owner a merchant
/// (the events taken as scanned) or not (the general path that regroups them).
final class PolicyLoaderTests: XCTestCase {
    var directory: String!
    var path: String { directory + "/state.db" }
    let now: Int64 = 1_782_900_000  // 2026-07-01T10:00:00Z
    let today = CivilDate(year: 2026, month: 7, day: 1)!

    override func setUpWithError() throws {
        directory = try temporaryFolder(prefix: "policy-loader", name)
    }

    static func pack() throws -> RulePack {
        var root = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) { root.deleteLastPathComponent() }
        let bytes = try Array(Data(contentsOf: root.appendingPathComponent("rulepacks/chengdu-2026.1.toml")))
        return try PackTOML.compile(bytes, fileName: "chengdu-2026.1.toml")
    }

    /// Ids whose byte order is not their table order nor their numbers' order ("M10" < "M2").
    static let merchantIDs = ["M3", "M10", "M2", "M20"]

    /// Recent (a day before `now`: a case may open, so id and description are kept) or not
    /// (200 days before: counted in windows only), and either side of the window's start.
    func events(owners extra: [String]) -> [EventRecord] {
        let day: Int64 = 86_400
        var list = [
            EventRecord(eventID: "E-old", platformMerchantID: "M2", eventType: .penalty, occurredAt: now - 200 * day,
                        severity: .serious, description: "旧事件"),
            EventRecord(eventID: "E-new", platformMerchantID: "M2", eventType: .violation, occurredAt: now - day,
                        severity: .serious, description: "销售过期食品"),
            EventRecord(eventID: "E-same-time", platformMerchantID: "M2", eventType: .complaint, occurredAt: now - day),
            EventRecord(eventID: "E-bare", platformMerchantID: "M10", eventType: .dispute, occurredAt: now - 2 * day),
            EventRecord(eventID: "E-last", platformMerchantID: "M20", eventType: .penalty, occurredAt: now - 300 * day,
                        severity: .minor, description: "更早"),
        ]
        // The window's first instant (the Chengdu pack's 30 days, midnight in China) and the
        // second before it.
        let first = Int64(today.dayNumber - 30) * day - 8 * 3600
        list.append(EventRecord(eventID: "E-first", platformMerchantID: "M3", eventType: .violation, occurredAt: first,
                                severity: .serious, description: "窗口第一秒"))
        list.append(EventRecord(eventID: "E-before", platformMerchantID: "M3", eventType: .violation, occurredAt: first - 1,
                                severity: .serious, description: "窗口前一秒"))
        for (k, owner) in extra.enumerated() {
            list.append(EventRecord(eventID: "E-x\(k)", platformMerchantID: owner, eventType: .penalty, occurredAt: now - day,
                                    severity: .serious, description: "不是本平台经营者"))
        }
        return list
    }

    func state(extraOwners: [String]) throws -> AgentState {
        let state = try AgentState(path: path)
        for (k, id) in Self.merchantIDs.enumerated() {
            var m = StateTests.fullMerchant
            m.platformMerchantID = id
            m.uscc = k == 0 ? StateTests.registryEntry.uscc : nil
            try state.upsert(m, hash: Int64(k), now: now)
        }
        try state.upsert(StateTests.registryEntry, hash: 1, now: now)
        for (k, e) in events(owners: extraOwners).enumerated() { try state.upsert(e, hash: Int64(k), now: now) }
        return state
    }

    /// Each row's events as the loader holds them: id, type, severity, local day, description.
    func loaded(_ facts: PolicyFacts) throws -> [String: [String]] {
        guard case .text(let ids) = facts.columns[.merchantID],
              case .text(let eventIDs) = facts.events.columns[.eventID],
              case .coded(let types) = facts.events.columns[.eventType],
              case .coded(let severities) = facts.events.columns[.severity],
              case .date(let days, _) = facts.events.columns[.occurredAt],
              case .text(let texts) = facts.events.columns[.description] else { XCTFail("columns missing"); return [:] }
        var out: [String: [String]] = [:]
        for r in 0..<ids.count {
            let o = facts.events.offsets
            out[ids[r]!] = (Int(o[r])..<Int(o[r + 1])).map { e in
                "\(eventIDs[e] ?? "-")|\(types[e])|\(severities[e])|\(days[e])|\(texts[e] ?? "-")"
            }
        }
        return out
    }

    /// What the state holds, worked out here: a merchant's events by time, type and severity,
    /// the recent ones with their id and description.
    func expected(_ events: [EventRecord]) -> [String: [String]] {
        let recentFrom = Int64(today.dayNumber - 30) * 86_400 - 8 * 3600
        var out: [String: [String]] = [:]
        for id in Self.merchantIDs {
            out[id] = events.filter { $0.platformMerchantID == id }
                .sorted { ($0.occurredAt, $0.eventType.rawValue) < ($1.occurredAt, $1.eventType.rawValue) }
                .map { e in
                    let recent = e.occurredAt >= recentFrom
                    let type = EventType.allCases.firstIndex(of: e.eventType)!
                    let severity = e.severity.map { EventSeverity.allCases.firstIndex(of: $0)! }.map(String.init) ?? "\(FactColumn.unknownCode)"
                    let day = (e.occurredAt + 8 * 3600) / 86_400
                    return "\(recent ? e.eventID : "-")|\(type)|\(severity)|\(day)|\(recent ? e.description ?? "-" : "-")"
                }
        }
        return out
    }

    func testEventsOfMerchantsOnlyAreTakenAsScannedByRow() throws {
        let state = try state(extraOwners: [])
        let loaded = try PolicyLoader(state: state).load(pack: try Self.pack(), today: today)
        XCTAssertEqual(try self.loaded(loaded.facts), expected(events(owners: [])))
        guard case .text(let ids) = loaded.facts.columns[.merchantID] else { return XCTFail("no ids") }
        XCTAssertEqual(Array(ids), ["M10", "M2", "M20", "M3"], "rows in byte order of the ids")
        // The registry's columns, read on their thread, joined to the one merchant with its USCC.
        guard case .date(let changed, let known) = loaded.facts.columns[.registryChangedAt],
              case .presence(let named) = loaded.facts.columns[.registryName] else { return XCTFail("no registry columns") }
        XCTAssertEqual((0..<4).map { known[$0] ? changed[$0] : nil }, [nil, nil, nil, Int32(StateTests.registryEntry.changedAt!.dayNumber)])
        XCTAssertEqual((0..<4).map { named[$0] }, [false, false, false, true])
    }

    /// Owners that are no merchant of the state, before, between and after the merchants' ids:
    /// their events are left out and every merchant's are as before.
    func testEventsOfIdsThatAreNoMerchantAreLeftOut() throws {
        let state = try state(extraOwners: ["M0", "M15", "M15", "M9"])
        let loaded = try PolicyLoader(state: state).load(pack: try Self.pack(), today: today)
        XCTAssertEqual(try self.loaded(loaded.facts), expected(events(owners: [])))
        XCTAssertEqual(loaded.facts.events.count, 7)
    }

    /// The policy's memory, read in the table's key order and paired with the rows by the same
    /// walk: each standing at its merchant's row, a standing of an id that is no merchant left out.
    func testStandingsLoadAtTheirMerchantsRows() throws {
        let state = try state(extraOwners: [])
        for (k, id) in ["M0", "M2", "M3", "M25", "M9"].enumerated() {
            try state.storeMerchantPolicy(id, MerchantPolicyState(riskClass: .b, points: 10 + k, decisionHash: UInt64(k),
                                                                  classSince: 20_000, member: false),
                                          packSerial: 1, now: now)
        }
        let loaded = try PolicyLoader(state: state).load(pack: try Self.pack(), today: today)
        // Rows: M10, M2, M20, M3.
        XCTAssertEqual(loaded.states.map(\.points), [0, 11, 0, 12])
        XCTAssertEqual(loaded.states.map { $0.riskClass?.rawValue }, [nil, "B", nil, "B"])
    }

    /// The walk that pairs owners with rows, against a look-up of each: owners in order, out of
    /// order and unknown.
    func testOwnersArePairedWithTheirRowsInOrderAndOutOfIt() {
        let ids = TextColumn(["A", "AB", "B", "B0", "C", "é"])
        var keys = ByteKeyTable(capacity: 8)
        for (i, id) in ids.enumerated() { keys.insert(id!, value: i) }
        let owners = ["", "A", "AA", "AB", "B0", "B", "C", "Z", "é", "éé", "A"]
        XCTAssertEqual(PolicyLoader.rows(of: owners, in: ids, keys: keys), owners.map { keys.value($0) ?? -1 })
        XCTAssertEqual(PolicyLoader.rows(of: owners, in: ids, keys: keys), [-1, 0, -1, 1, 3, 2, 4, -1, 5, -1, 0])
    }
}
