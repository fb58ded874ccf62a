import Foundation
import Hummingbird

import SandboxCore
import XCTest
@testable import SandboxRegulator

/// The roster keeper's turns take the marks in USCC order from where the last turn left off
/// (RosterRefresh.after), each reading only its own marks; every marked enterprise is still
/// decided once for its marks: a mark PostgreSQL holds twice (its marks have no key) once, a mark
/// made behind the turns when they start again from the first, and the same marks chosen by two
/// nodes' turns at once by one of them.
final class RosterKeeperTurnsTests: XCTestCase {
    typealias F = RegulatorFixture

    static func uscc(_ n: Int) -> String { "91510104MA6CTRN" + String(format: "%03d", n) }

    /// One batch of platform A with a storefront of each enterprise `numbers`: each is marked.
    static func mark(_ client: some TestClientProtocol, _ numbers: [Int], key: String) async throws {
        let (status, _) = try await PolicyItems.post(client, platform: "A", key: key,
                                                     numbers.map { F.merchantLine(platform: "A", id: "\(key)-\($0)", uscc: uscc($0)) })
        XCTAssertEqual(status, .ok)
    }

    static func turn(_ store: RegulatorStore, limit: Int, after: String = "") async throws -> RosterRefresh {
        try await store.write { try $0.refreshRoster(limit: limit, now: Timestamp.now(), after: after) }
    }

    func testTurnsTakeEveryMarkOnceAndComeBackForAMarkMadeBehindThem() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in try await Self.mark(client, Array(0..<30), key: "t1") }
        if f.postgres != nil {
            // Two batches that mark an enterprise leave two rows on PostgreSQL.
            try await f.store.write { try $0.database.execute("INSERT INTO roster_dirty (uscc) SELECT uscc FROM roster_dirty") }
        }
        var decided = 0, after = ""
        for _ in 0..<2 {
            let t = try await Self.turn(f.store, limit: 7, after: after)
            decided += t.decided
            after = t.after ?? ""
        }
        XCTAssertEqual(decided, 14)
        XCTAssertEqual(after, Self.uscc(13), "a full turn goes on past its last mark")
        // One enterprise the turns have passed is marked again, and one past them.
        try await f.app().test(.router) { client in try await Self.mark(client, [0, 40], key: "t2") }
        var turns = 0
        while turns < 20 {
            turns += 1
            let t = try await Self.turn(f.store, limit: 7, after: after)
            decided += t.decided
            if t.decided == 0 && after.isEmpty { break }
            after = t.after ?? ""
        }
        XCTAssertEqual(decided, 32, "each of the 31 enterprises once for its marks, the one marked again behind the turns once more")
        XCTAssertEqual(turns, 5, "14–20, 21–27, then 28, 29 and 40 (the end), then 0 from the first, then nothing")
        let left = try await RosterKeeperGivesWayTests.marked(f)
        XCTAssertEqual(left, 0)
    }

    func testTwoNodesTurnsThatChooseTheSameMarksDecideThemOnce() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in try await Self.mark(client, Array(0..<40), key: "n1") }
        let mine = f.store, other = try f.secondNode()
        defer { other.backend.close() }
        var decided = 0
        // Both start from the first mark each time: on PostgreSQL the two transactions choose the
        // same marks; the one whose delete comes second finds them gone and decides none of them.
        for _ in 0..<10 {
            async let a = Self.turn(mine, limit: 10)
            async let b = Self.turn(other, limit: 10)
            let both = try await a.decided + b.decided
            decided += both
            if both == 0 { break }
        }
        XCTAssertEqual(decided, 40, "each enterprise decided by one node")
        let left = try await RosterKeeperGivesWayTests.marked(f)
        XCTAssertEqual(left, 0)
    }
}
