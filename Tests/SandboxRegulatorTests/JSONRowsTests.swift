import Foundation
import Hummingbird

import SandboxCore
import XCTest
@testable import SandboxRegulator

/// PostgresSchema.jsonbRows: the rows a statement writes from one JSON array parameter
/// (SQLDialect.jsonObjects — the kept roster, its places, its verdicts and their directives) are
/// read as `jsonb` on PostgreSQL. A store from before the step gets the `json_extract` overload
/// on open, and the roster the keeper then keeps is the one it kept before, row for row.
final class JSONRowsTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias P = PolicyItems
    typealias K = KeptRosterTests

    /// The kept roster and places, every column but the time of the decision.
    static func kept(_ store: RegulatorStore) async throws -> [String] {
        try await store.read { s in
            var out: [String] = []
            let q = try s.database.prepare("""
                SELECT uscc, member, member_since, division, reasons, recheck_at, worst_class, proposed_by
                FROM regulator_roster ORDER BY uscc
                """)
            defer { q.reset() }
            while try q.step() {
                out.append((0..<8).map { q.string(Int32($0)) ?? "-" }.joined(separator: " | "))
            }
            let p = try s.database.prepare("SELECT uscc, region FROM roster_places ORDER BY uscc, region")
            defer { p.reset() }
            while try p.step() { out.append("place \(p.string(0) ?? "-") \(p.string(1) ?? "-")") }
            return out
        }
    }

    func testAStoreFromBeforeTheStepKeepsTheSameRoster() async throws {
        let f = try F(); defer { f.remove() }
        try XCTSkipIf(f.postgres == nil, "a PostgreSQL schema step: SQLite's json_each gives text either way")
        try await f.app().test(.router) { client in
            // One member of class A, one rated C and not proposed.
            let lines = [(K.one, "m1", true, "A"), (K.two, "m2", false, "C")].flatMap { uscc, id, member, letter in
                [F.merchantLine(platform: "A", id: id, uscc: uscc), P.roster("A", id, uscc: uscc, member: member),
                 P.creditClass("A", id, uscc: uscc, letter)]
            }
            let (status, _) = try await P.post(client, platform: "A", key: "rows-1", lines)
            XCTAssertEqual(status, .ok)
        }
        let decided = try await f.store.write { try $0.refreshRoster(limit: 100, now: Timestamp.now()).decided }
        XCTAssertEqual(decided, 2)
        let before = try await Self.kept(f.store)
        XCTAssertEqual(before.filter { !$0.hasPrefix("place") }.count, 2, "\(before)")
        // Back to the step before, without the overload, every enterprise marked again.
        try await f.store.write { s in
            try s.database.execute("DROP FUNCTION json_extract(jsonb, text)")
            try s.database.execute("DELETE FROM roster_places")
            try s.database.execute("DELETE FROM regulator_roster")
            try s.database.execute("INSERT INTO roster_dirty (uscc) VALUES ('\(K.one)'), ('\(K.two)')")
            try f.rewindSchema(s, toBefore: RegulatorSchema.steps.count + 1, PostgresSchema.jsonbRowsVersion)
        }
        let reopened = try F.makeStore(folder: f.folder, postgres: f.postgres)
        defer { reopened.backend.close() }
        let again = try await reopened.write { try $0.refreshRoster(limit: 100, now: Timestamp.now()).decided }
        XCTAssertEqual(again, 2)
        let after = try await Self.kept(reopened)
        XCTAssertEqual(after, before)
    }
}
