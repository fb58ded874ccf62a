import Foundation
import Hummingbird

import SandboxCore
import SandboxPolicy
import XCTest
@testable import SandboxRegulator
import SandboxWire

/// A draw's population read in sets from the kept roster (`drawPopulation`) is the population
/// decided from scratch — every merchant's JSON and every enterprise's roster decision, as the
/// draw read it before (kept here as the oracle) — whether the keeper has run or not, after a
/// change it has not yet decided, during and after a removal hold, and for a past as-of day.
final class DrawPopulationTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias P = PolicyItems
    typealias D = DrawRunTests

    static func compare(_ f: F, now: Int64, _ when: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        let (read, oracle) = try await f.store.read { s in
            (try s.drawPopulation(now: now).sorted { $0.uscc < $1.uscc }, try s.drawPopulationFromScratch(now: now))
        }
        XCTAssertFalse(read.isEmpty, when, file: file, line: line)
        XCTAssertEqual(read.map(\.uscc), oracle.map(\.uscc), "\(when): who", file: file, line: line)
        XCTAssertEqual(read.map(\.name), oracle.map(\.name), "\(when): names", file: file, line: line)
        XCTAssertEqual(read.map(\.stratum), oracle.map(\.stratum), "\(when): strata", file: file, line: line)
    }

    func testTheSetReadEqualsTheDecisionFromScratchThroughTheKeepersWork() async throws {
        let f = try F(); defer { f.remove() }
        let now = Timestamp.now()
        try await f.app().test(.router) { client in
            try await D.seed(client)
            // The regulator's registry: a name that wins over the storefront's, and a cancelled
            // enterprise still trading on a platform.
            _ = try await f.store.write { try $0.importRegistry([
                RegistryRecord(uscc: D.uscc(2), name: "成都二号有限公司"),
                RegistryRecord(uscc: D.uscc(5), name: "已注销企业", registrationStatus: .cancelled),
            ], now: 1) }
            try await Self.compare(f, now: now, "nothing kept yet")
            try await Self.compare(f, now: 0, "a past as-of day")

            _ = try await f.store.write { try $0.refreshRoster(limit: 5, now: now) }
            try await Self.compare(f, now: now, "some kept, some marked")
            _ = try await f.store.write { try $0.refreshRoster(limit: 100, now: now) }
            try await Self.compare(f, now: now, "all kept")

            // Another platform rates a member D: marked, not yet decided again.
            let (status, _) = try await P.post(client, platform: "B", key: "b2", [
                F.merchantLine(platform: "B", id: "n1", uscc: D.uscc(1)), P.creditClass("B", "n1", uscc: nil, "D"),
            ])
            XCTAssertEqual(status, .ok)
            try await Self.compare(f, now: now, "a change the keeper has not decided")

            // A staff removal holds 30 days: kept with a recheck, then due by itself.
            let body = F.buffer(Array(#"{"action":"remove","reason":"抽查发现问题","hold_days":30}"#.utf8))
            let r = try await client.execute(uri: "/v1/admin/roster/\(D.uscc(3))", method: .post, headers: F.admin, body: body)
            XCTAssertEqual(r.status, .created, F.text(r))
            _ = try await f.store.write { try $0.refreshRoster(limit: 100, now: now) }
            try await Self.compare(f, now: now, "during the hold")
            try await Self.compare(f, now: now + 31 * 86_400, "after the hold, before the keeper's recheck")
        }
        let members = try await f.store.read { try $0.drawPopulation(now: now) }.filter(\.member).map(\.uscc)
        XCTAssertEqual(members, [D.uscc(2)], "1 rated D elsewhere, 3 removed by staff")
    }
}

extension StoreSession {
    /// The draw's population as it was read before the kept roster: every merchant's JSON, the
    /// registry entry by entry, and the whole city's roster decided on the read.
    func drawPopulationFromScratch(now: Int64) throws -> [InspectionSubject] {
        var open: [String: String] = [:]
        let s = try database.prepare("SELECT uscc, data FROM records WHERE type = 'merchant' AND uscc IS NOT NULL ORDER BY uscc, platform_id, key")
        defer { s.reset() }
        while try s.step() {
            let uscc = s.string(0) ?? ""
            let data = JSONValue.parse(Array((s.string(1) ?? "null").utf8)) ?? .null
            let status = data["status"]?.stringValue ?? ""
            guard status != "closed" && status != "关闭", open[uscc] == nil else { continue }
            open[uscc] = data["registered_name"]?.stringValue ?? data["shop_name"]?.stringValue ?? uscc
        }
        var endedCopies = Set<String>()
        let copies = try database.prepare("SELECT uscc, data FROM records WHERE type = 'registry' AND uscc IS NOT NULL")
        defer { copies.reset() }
        while try copies.step() {
            let data = JSONValue.parse(Array((copies.string(1) ?? "null").utf8)) ?? .null
            if Self.endsTrading(data["registration_status"]?.stringValue) { endedCopies.insert(copies.string(0) ?? "") }
        }
        var roster: [String: RosterEntry] = [:]
        for entry in try self.roster(now: now) { roster[entry.uscc] = entry }
        var out: [InspectionSubject] = []
        for (uscc, storefrontName) in open.sorted(by: { $0.key < $1.key }) {
            var name = storefrontName
            if let entry = try registryEntry(uscc: uscc) {
                if Self.endsTrading(entry["registration_status"]?.stringValue) { continue }
                name = entry["name"]?.stringValue ?? name
            } else if endedCopies.contains(uscc) {
                continue
            }
            let r = roster[uscc]
            out.append(InspectionSubject(uscc: uscc, name: name, member: r?.member ?? false,
                                         classes: r?.platforms.compactMap(\.creditClass) ?? []))
        }
        return out
    }
}
