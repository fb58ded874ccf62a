import Foundation
import Hummingbird

import SandboxCore
import XCTest
@testable import SandboxRegulator

/// The regulator's roster decisions, kept per enterprise (`regulator_roster`): what changes a
/// decision marks it, the keeper decides the marked, a read counts the kept and decides what is
/// still marked itself — so the count always equals the roster computed from scratch.
final class KeptRosterTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias P = PolicyItems
    static let one = "91510104MA6CKEPT01"
    static let two = "91510107MA6CKEPT02"

    static func members(_ f: F, region: String? = nil, now: Int64 = Timestamp.now()) async throws -> (kept: Int, computed: Int) {
        try await f.store.read { s in
            (try s.keptRosterMembers(region: region, now: now).members,
             try s.roster(uscc: nil, now: now).filter { e in e.member && (region.map { USCC.divisionCode(e.uscc)?.hasPrefix($0) == true } ?? true) }.count)
        }
    }

    /// Two enterprises rated A and proposed for the roster by platform A: both marked.
    static func twoMembers(_ client: some TestClientProtocol) async throws {
        let (status, _) = try await P.post(client, platform: "A", key: "a1", [
            F.merchantLine(platform: "A", id: "m1", uscc: one), P.roster("A", "m1", uscc: one, member: true),
            P.creditClass("A", "m1", uscc: one, "A"),
            F.merchantLine(platform: "A", id: "m2", uscc: two), P.roster("A", "m2", uscc: two, member: true),
            P.creditClass("A", "m2", uscc: two, "A"),
        ])
        XCTAssertEqual(status, .ok)
    }

    func testAReadDecidesABoundedNumberAndSaysHowManyAreLeft() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await Self.twoMembers(client)
            let now = Timestamp.now()
            var m = try await f.store.read { try $0.keptRosterMembers(region: nil, now: now, decidingAtMost: 1) }
            XCTAssertEqual(m.members, 1, "one of the two marked decided by the read, the other counted as kept (none yet)")
            XCTAssertEqual(m.undecided, 1)
            m = try await f.store.read { try $0.keptRosterMembers(region: "510107", now: now, decidingAtMost: 1) }
            XCTAssertEqual(m.members, 1, "a region's marked only")
            XCTAssertEqual(m.undecided, 0)
            let report = try await f.store.read { try $0.outcomes(from: CivilDate(unixTime: now), to: CivilDate(unixTime: now), region: nil, now: now) }
            XCTAssertEqual(report.sandboxMembers, 2, "two marked: well under what a read decides")
            XCTAssertEqual(report.sandboxMembersUndecided, 0)
            _ = try await f.store.write { try $0.refreshRoster(limit: 100, now: Timestamp.now()) }
            m = try await f.store.read { try $0.keptRosterMembers(region: nil, now: now, decidingAtMost: 1) }
            XCTAssertEqual(m.members, 2, "all kept: nothing left to decide")
            XCTAssertEqual(m.undecided, 0)
        }
    }

    /// A backlog past what a read lists (the national load left 18.3 million marks): the read
    /// lists at most its bound of the place's marked or due enterprises — a region's through one
    /// range of the marks' index per USCC start (91 a company, 92 an individual business) —
    /// decides none of them when there are more, and says so.
    func testAReadListsABoundedBacklogAndSaysWhenThereIsMore() async throws {
        let f = try F(); defer { f.remove() }
        let three = "92510107MA6CKEPT03"
        try await f.app().test(.router) { client in
            try await Self.twoMembers(client)
            let (status, _) = try await P.post(client, platform: "B", key: "b1", [
                F.merchantLine(platform: "B", id: "m3", uscc: three), P.roster("B", "m3", uscc: three, member: true),
                P.creditClass("B", "m3", uscc: three, "A"),
            ])
            XCTAssertEqual(status, .ok)
            let now = Timestamp.now()
            @Sendable func expect(_ region: String?, reading bound: Int, _ expected: RosterMemberCount, _ message: String = "",
                                  line: UInt = #line) async throws {
                let counted = try await f.store.read {
                    try $0.keptRosterMembers(region: region, now: now, decidingAtMost: 1, readingAtMost: bound)
                }
                XCTAssertEqual(counted, expected, message, line: line)
            }
            try await expect(nil, reading: 2, RosterMemberCount(members: 0, undecided: 2, undecidedIsMore: true),
                           "three marked, two listed: none decided, the kept count (none yet) and 'more than 2'")
            try await expect("510107", reading: 2, RosterMemberCount(members: 1, undecided: 1, undecidedIsMore: false),
                           "the district's two (one per USCC start) are all its backlog: one decided, one left")
            try await expect("510107", reading: 1, RosterMemberCount(members: 0, undecided: 1, undecidedIsMore: true))
            try await expect("5101", reading: 3, RosterMemberCount(members: 1, undecided: 2, undecidedIsMore: false))
            try await expect("510104", reading: 1, RosterMemberCount(members: 1, undecided: 0, undecidedIsMore: false))
            try await expect("510199", reading: 1, RosterMemberCount(members: 0, undecided: 0, undecidedIsMore: false))
            let report = try await f.store.read {
                try $0.outcomes(from: CivilDate(unixTime: now), to: CivilDate(unixTime: now), region: nil, now: now)
            }
            XCTAssertFalse(report.sandboxMembersUndecidedIsMore, "three: well under a read's bound")
            XCTAssertEqual(report.sandboxMembers, 3)
            var past = report
            (past.sandboxMembersUndecided, past.sandboxMembersUndecidedIsMore) = (20_000, true)
            let json = try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(past)) as? [String: Any])
            XCTAssertEqual(json["sandbox_members_undecided"] as? Int, 20_000)
            XCTAssertEqual(json["sandbox_members_undecided_more"] as? Bool, true)
            XCTAssertNil(try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])["sandbox_members_undecided_more"])
            // Decided and kept; then one is due for a recheck (a removal's hold ending).
            _ = try await f.store.write { try $0.refreshRoster(limit: 100, now: Timestamp.now()) }
            try await expect(nil, reading: 0, RosterMemberCount(members: 3, undecided: 0, undecidedIsMore: false))
            try await f.store.write { try $0.database.execute("UPDATE regulator_roster SET recheck_at = 1 WHERE uscc = '\(Self.one)'") }
            try await expect("510104", reading: 1, RosterMemberCount(members: 1, undecided: 0, undecidedIsMore: false),
                           "the due one decided by the read")
            try await expect("510104", reading: 0, RosterMemberCount(members: 1, undecided: 0, undecidedIsMore: true))
        }
    }

    func testTheMarksOfARegionAreOneRangePerUSCCStart() {
        let district = RegionDivisions("510107")
        XCTAssertEqual(RosterMarkRange(start: "92", region: district), RosterMarkRange(from: "92510107", before: "92510108"))
        XCTAssertEqual(RosterMarkRange(start: "91", region: RegionDivisions("5199")), RosterMarkRange(from: "915199", before: "9152"))
        XCTAssertEqual(RosterMarkRange(start: "91", region: RegionDivisions("99")), RosterMarkRange(from: "9199", before: "92"))
        XCTAssertEqual(RosterMarkRange.past("9Z"), "9[")
        XCTAssertEqual(RosterMarkRange.past(""), nil)
        XCTAssertEqual(RosterMarkRange.past("9\u{10FFFF}"), ":")
        XCTAssertEqual(RosterMarkRange.start(of: "92510107MA6CKEPT03"), "92")
    }

    /// The members per division the keeper keeps (`roster_member_counts`) against a count of the
    /// kept decisions, after decisions that add, remove and keep members; a store from before the
    /// counts gets them on open.
    func testTheMemberCountsPerDivisionEqualTheKeptDecisions() async throws {
        let f = try F(); defer { f.remove() }
        @Sendable func counts(_ store: RegulatorStore) async throws -> (kept: [String], scanned: [String]) {
            try await store.read { s in
                func rows(_ sql: String) throws -> [String] {
                    let q = try s.database.prepare(sql)
                    defer { q.reset() }
                    var out: [String] = []
                    while try q.step() { out.append("\(q.string(0) ?? "")=\(q.int(1))") }
                    return out
                }
                return (try rows("SELECT division, members FROM roster_member_counts WHERE members <> 0 ORDER BY division"),
                        try rows("SELECT division, count(*) FROM regulator_roster WHERE member = 1 GROUP BY division ORDER BY division"))
            }
        }
        try await f.app().test(.router) { client in
            try await Self.twoMembers(client)
            _ = try await f.store.write { try $0.refreshRoster(limit: 100, now: Timestamp.now()) }
            var c = try await counts(f.store)
            XCTAssertEqual(c.kept, ["510104=1", "510107=1"])
            XCTAssertEqual(c.kept, c.scanned)
            // One leaves (another platform rates it C), the other is decided again and stays.
            let (status, _) = try await P.post(client, platform: "B", key: "b1", [
                F.merchantLine(platform: "B", id: "n1", uscc: Self.one), P.roster("B", "n1", uscc: nil, member: true),
                P.creditClass("B", "n1", uscc: nil, "C"),
                F.merchantLine(platform: "B", id: "n2", uscc: Self.two), P.roster("B", "n2", uscc: nil, member: true),
                P.creditClass("B", "n2", uscc: nil, "A"),
            ])
            XCTAssertEqual(status, .ok)
            _ = try await f.store.write { try $0.refreshRoster(limit: 100, now: Timestamp.now()) }
            c = try await counts(f.store)
            XCTAssertEqual(c.kept, ["510107=1"], "510104's member left; 510107's decided again, counted once")
            XCTAssertEqual(c.kept, c.scanned)
        }
        try await f.store.write { s in
            try f.rewindSchema(s, toBefore: RegulatorSchema.rosterMemberCountsVersion, PostgresSchema.rosterMemberCountsVersion)
        }
        let reopened = try F.makeStore(folder: f.folder, postgres: f.postgres)
        defer { reopened.backend.close() }
        let c = try await counts(reopened)
        XCTAssertEqual(c.kept, ["510107=1"], "filled from the kept decisions on open")
    }

    func testTheKeptCountFollowsEveryChangeWhetherOrNotTheKeeperHasRun() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            try await Self.twoMembers(client)
            var status: HTTPResponse.Status
            var m = try await Self.members(f)
            XCTAssertEqual(m.kept, 2, "marked, not yet kept: decided by the read")
            XCTAssertEqual(m.kept, m.computed)
            var due = try await f.store.read { try $0.rosterWorkDue(now: Timestamp.now()) }
            XCTAssertTrue(due, "marked: the keeper has work")
            var decided = try await f.store.write { try $0.refreshRoster(limit: 1, now: Timestamp.now()).decided }
            XCTAssertEqual(decided, 1, "a batch of one")
            decided = try await f.store.write { try $0.refreshRoster(limit: 100, now: Timestamp.now()).decided }
            XCTAssertEqual(decided, 1, "then the other; nothing is left")
            due = try await f.store.read { try $0.rosterWorkDue(now: Timestamp.now()) }
            XCTAssertFalse(due, "nothing marked or due: the keeper takes no write turn")
            m = try await Self.members(f)
            XCTAssertEqual(m.kept, 2)
            m = try await Self.members(f, region: "510107")
            XCTAssertEqual(m.kept, 1, "by region (division prefix)")

            // Another platform rates one enterprise C: it is no member any more, kept or not.
            (status, _) = try await P.post(client, platform: "B", key: "b1", [
                F.merchantLine(platform: "B", id: "n1", uscc: Self.one), P.roster("B", "n1", uscc: nil, member: true),
                P.creditClass("B", "n1", uscc: nil, "C"),
            ])
            XCTAssertEqual(status, .ok)
            m = try await Self.members(f)
            XCTAssertEqual(m.kept, 1, "the mark makes the read decide it again")
            XCTAssertEqual(m.kept, m.computed)
            _ = try await f.store.write { try $0.refreshRoster(limit: 100, now: Timestamp.now()) }
            let kept = try await f.store.read { s in
                let q = try s.database.prepare("SELECT member, reasons FROM regulator_roster WHERE uscc = ?1")
                defer { q.reset() }
                try q.bind(1, Self.one)
                _ = try q.step()
                return (q.int(0), q.string(1) ?? "")
            }
            XCTAssertEqual(kept.0, 0)
            XCTAssertTrue(kept.1.contains("rated class C"), kept.1)

            // A staff removal holds for 30 days, then the kept decision is due again by itself.
            let body = F.buffer(Array(#"{"action":"remove","reason":"抽查发现问题","hold_days":30}"#.utf8))
            let r = try await client.execute(uri: "/v1/admin/roster/\(Self.two)", method: .post, headers: F.admin, body: body)
            XCTAssertEqual(r.status, .created, F.text(r))
            _ = try await f.store.write { try $0.refreshRoster(limit: 100, now: Timestamp.now()) }
            m = try await Self.members(f)
            XCTAssertEqual(m.kept, 0)
            let later = Timestamp.now() + 31 * 86_400
            m = try await Self.members(f, now: later)
            XCTAssertEqual(m.kept, 1, "the hold is over: decided again at its recheck")
            XCTAssertEqual(m.kept, m.computed)
            decided = try await f.store.write { try $0.refreshRoster(limit: 100, now: later).decided }
            XCTAssertEqual(decided, 1, "the due recheck is kept")
        }
    }
}
