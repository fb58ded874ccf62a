import Foundation
import Hummingbird

import SandboxCore
import XCTest
@testable import SandboxRegulator

/// The regulator's roster decisions pushed to the platforms (issue 12): a platform whose agent
/// proposes a member the regulator does not admit hears "not a member" once; when the decision
/// turns it hears "member"; a platform that proposes nothing hears nothing.
final class RosterVerdictsTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias P = PolicyItems
    static let shared = "91510104MA6CVERD01"

    func testDueVerdicts() {
        typealias V = RosterVerdicts
        XCTAssertEqual(V.due(member: false, proposing: ["A", "B"], sent: [:]).map(\.platformID), ["A", "B"])
        XCTAssertEqual(V.due(member: false, proposing: ["A", "B"], sent: ["A": false]).map(\.platformID), ["B"], "told once")
        XCTAssertEqual(V.due(member: false, proposing: ["A"], sent: ["A": true]).map(\.platformID), ["A"], "the decision turned")
        XCTAssertEqual(V.due(member: false, proposing: [], sent: [:]), [], "nobody proposes: nobody hears")
        XCTAssertEqual(V.due(member: true, proposing: ["A", "B"], sent: [:]), [], "the agents apply their own proposals")
        XCTAssertEqual(V.due(member: true, proposing: ["A"], sent: ["A": false, "B": true, "C": false]).map(\.platformID), ["A", "C"])
        XCTAssertTrue(V.due(member: true, proposing: [], sent: ["A": false]).allSatisfy(\.member))
    }

    static func verdicts(_ f: F, _ platform: String) async throws -> [String] {
        try await f.store.read { s in
            try s.directives(platformID: platform, after: 0, limit: 100).filter { $0.type == "sandbox" }.map {
                "\($0.uscc ?? "-") \($0.payload["verdict"]?.stringValue ?? "-")"
            }
        }
    }

    func testAProposalTheRegulatorDoesNotAdmitIsToldOnceAndTheTurnIsToldToo() async throws {
        let f = try F(); defer { f.remove() }
        do {
            try await f.app().test(.router) { client in
                let u = Self.shared
                var v: [String] = []
                // A proposes its storefront (class A); B rates its storefront of the same enterprise C.
                var (status, _) = try await P.post(client, platform: "A", key: "a1", [
                    F.merchantLine(platform: "A", id: "m1", uscc: u), P.roster("A", "m1", uscc: u, member: true, proposed: true),
                    P.creditClass("A", "m1", uscc: u, "A"),
                ])
                XCTAssertEqual(status, .ok)
                (status, _) = try await P.post(client, platform: "B", key: "b1", [
                    F.merchantLine(platform: "B", id: "n1", uscc: u), P.roster("B", "n1", uscc: u, member: false, proposed: false),
                    P.creditClass("B", "n1", uscc: u, "C"),
                ])
                XCTAssertEqual(status, .ok)
                var turn = try await f.store.write { try $0.refreshRoster(limit: 100, now: Timestamp.now()) }
                XCTAssertEqual(turn.decided, 1)
                XCTAssertEqual(turn.verdicts.map(\.platformID), ["A"])
                let first = try XCTUnwrap(turn.verdicts.first)
                XCTAssertEqual(first.payload["reason"]?.stringValue?.contains("B storefront n1 is rated class C"), true,
                               first.payload.jsonText)
                v = try await Self.verdicts(f, "A"); XCTAssertEqual(v, ["\(u) not_member"])
                v = try await Self.verdicts(f, "B"); XCTAssertEqual(v, [], "B proposes nothing: it hears nothing")

                // A's agent applies the verdict and reports member false, proposed still true:
                // the regulator reads the proposal, decides the same, and says nothing again.
                (status, _) = try await P.post(client, platform: "A", key: "a2", [
                    P.roster("A", "m1", uscc: u, member: false, proposed: true, hash: "2"),
                ])
                XCTAssertEqual(status, .ok)
                turn = try await f.store.write { try $0.refreshRoster(limit: 100, now: Timestamp.now()) }
                XCTAssertEqual(turn.decided, 1)
                XCTAssertEqual(turn.verdicts, [], "told once")
                let entry = try await f.store.read { try $0.roster(uscc: u, now: Timestamp.now()).first }
                XCTAssertEqual(entry?.proposedBy, ["A"], "the proposal, not what A applies")

                // B's storefront becomes class A and B proposes it: the enterprise is a member,
                // and A, told "not a member", is told "member".
                (status, _) = try await P.post(client, platform: "B", key: "b2", [
                    P.roster("B", "n1", uscc: u, member: true, proposed: true, hash: "2"),
                    P.creditClass("B", "n1", uscc: u, "A", hash: "2"),
                ])
                XCTAssertEqual(status, .ok)
                turn = try await f.store.write { try $0.refreshRoster(limit: 100, now: Timestamp.now()) }
                XCTAssertEqual(turn.verdicts.map { "\($0.platformID) \($0.payload["verdict"]?.stringValue ?? "-")" }, ["A member"],
                               turn.verdicts.first?.payload.jsonText ?? "")
                v = try await Self.verdicts(f, "A"); XCTAssertEqual(v, ["\(u) not_member", "\(u) member"])
                v = try await Self.verdicts(f, "B"); XCTAssertEqual(v, [])
            }
        }
    }
}
