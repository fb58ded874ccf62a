import Foundation
import Hummingbird

import SandboxCore
import XCTest
@testable import SandboxRegulator

/// Issue 17 item 6: a platform's `roster` and `class` items decide an enterprise's standing only
/// through that platform's own storefronts of it — a platform filing items under another
/// enterprise's USCC made it a member, or class D, at the regulator.
final class RosterStandingTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias P = PolicyItems
    static let victim = "91510104MA6CXXXX01"   // a storefront on A only
    static let bOwn = "91510107MA6CXXXX02"     // B's own storefront

    func testItemsUnderAUSCCThePlatformHasNoStorefrontOfDoNotCount() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            var (status, _) = try await P.post(client, platform: "A", key: "a1", [
                F.merchantLine(platform: "A", id: "m1", uscc: Self.victim),
                P.creditClass("A", "m1", uscc: nil, "A"),
            ])
            XCTAssertEqual(status, .ok)
            (status, _) = try await P.post(client, platform: "B", key: "b1", [
                // No storefront under the victim's USCC at all:
                P.roster("B", "ghost", uscc: Self.victim, member: true),
                P.creditClass("B", "ghost", uscc: Self.victim, "D"),
                // A storefront of its own, with items claiming another USCC:
                F.merchantLine(platform: "B", id: "n1", uscc: Self.bOwn),
                P.roster("B", "n1", uscc: Self.victim, member: true),
                P.creditClass("B", "n1", uscc: Self.victim, "D"),
                // And B's own standing for its own storefront, which counts:
                P.roster("B", "n2", uscc: nil, member: true),
                P.creditClass("B", "n2", uscc: nil, "A"),
                F.merchantLine(platform: "B", id: "n2", uscc: Self.bOwn),
            ])
            XCTAssertEqual(status, .ok)

            var r = try await client.execute(uri: "/v1/admin/roster?uscc=\(Self.victim)", method: .get, headers: F.admin)
            XCTAssertEqual(r.status, .ok, F.text(r))
            let victim = try XCTUnwrap((try F.json(r)["entries"] as? [[String: Any]])?.first)
            XCTAssertEqual(victim["member"] as? Bool, false, "B made A's merchant a member: \(victim)")
            XCTAssertEqual(victim["worst_class"] as? String, "A", "B made A's merchant class D: \(victim)")
            XCTAssertEqual((victim["platforms"] as? [[String: Any]])?.map { $0["platform_id"] as? String }, ["A"])

            r = try await client.execute(uri: "/v1/admin/roster?uscc=\(Self.bOwn)", method: .get, headers: F.admin)
            let own = try XCTUnwrap((try F.json(r)["entries"] as? [[String: Any]])?.first)
            XCTAssertEqual(own["member"] as? Bool, true)
            XCTAssertEqual((own["platforms"] as? [[String: Any]])?.map { $0["platform_merchant_id"] as? String }, ["n2"])

            // A removal reaches only the platforms with a storefront under the USCC.
            let body = F.buffer(Array(#"{"action":"remove","reason":"r","hold_days":30}"#.utf8))
            r = try await client.execute(uri: "/v1/admin/roster/\(Self.victim)", method: .post, headers: F.admin, body: body)
            XCTAssertEqual(r.status, .created, F.text(r))
            XCTAssertEqual((try F.json(r)["directives"] as? [[String: Any]])?.map { $0["platform_id"] as? String }, ["A"])
        }
        let population = try await f.store.read { try $0.drawPopulation(now: 0) }
        XCTAssertEqual(population.first { $0.uscc == Self.victim }?.classes, ["A"])
    }
}
