import Foundation
import Hummingbird

import SandboxCore
import XCTest
@testable import SandboxRegulator

/// The registration-exempt turnover summed across platforms (网络交易监督管理办法 art. 8; issue 13
/// correction 9): one person's shops on two platforms, each within the limit, together over it.
final class TurnoverSumsTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias P = PolicyItems

    static func exempt(_ platform: String, _ id: String, name: String, address: String, turnoverFen: Int64,
                       hash: String = "1") -> String {
        P.line("merchant", platform: platform, key: id, uscc: nil, hash: hash, data: [
            "platform_merchant_id": id, "shop_name": "\(name)的小店", "entity_type": "natural_person",
            "registered_name": name, "registered_address": address, "small_scale_declared": true,
            "annual_turnover_fen": turnoverFen,
        ])
    }

    func testPeopleAreToldByNameAndAddressIgnoringSpaces() {
        typealias T = ExemptTurnover
        let shops = [
            T.Storefront(platformID: "A", merchantID: "a1", shopName: "", name: "王五", address: "成都市锦江区 春熙路1号", turnoverFen: 1),
            T.Storefront(platformID: "B", merchantID: "b1", shopName: "", name: "王五", address: "成都市锦江区春熙路1号", turnoverFen: 2),
            T.Storefront(platformID: "B", merchantID: "b2", shopName: "", name: "王五", address: "成都市武侯区一环路2号", turnoverFen: 4),
            T.Storefront(platformID: "A", merchantID: "a2", shopName: "", name: "", address: "成都市武侯区一环路2号", turnoverFen: 8),
        ]
        let people = T.people(shops)
        XCTAssertEqual(people.map { $0.storefronts.map(\.merchantID) }, [["a1", "b1"]],
                       "same name elsewhere is another person; a shop alone is its agent's to judge")
        XCTAssertEqual(people.first?.totalFen, 3)
    }

    func testChangesAreWhatDiffersFromWhatWasSent() {
        typealias T = ExemptTurnover
        func shop(_ p: String, _ m: String, _ fen: Int64, name: String = "王五") -> T.Storefront {
            T.Storefront(platformID: p, merchantID: m, shopName: "", name: name, address: "春熙路1号", turnoverFen: fen)
        }
        let wang = T.people([shop("A", "a1", 6_000_000), shop("B", "b1", 5_000_000)])
        let limit: Int64 = 10_000_000
        let key = wang[0].key, shops = T.shopsText(wang[0].storefronts)
        XCTAssertEqual(T.changes(people: wang, kept: [:], limitFen: limit), [.sum(wang[0], over: true)], "over, never told")
        XCTAssertEqual(T.changes(people: wang, kept: [key: .init(totalFen: 11_000_000, over: true, shops: shops)], limitFen: limit), [],
                       "told this sum already")
        XCTAssertEqual(T.changes(people: wang, kept: [key: .init(totalFen: 10_500_000, over: true, shops: shops)], limitFen: limit),
                       [.sum(wang[0], over: true)], "the sum changed")
        XCTAssertEqual(T.changes(people: wang, kept: [:], limitFen: 20_000_000), [], "under the limit and never over it")
        XCTAssertEqual(T.changes(people: wang, kept: [key: .init(totalFen: 11_000_000, over: true, shops: shops)], limitFen: 20_000_000),
                       [.sum(wang[0], over: false)], "no longer over it")
        XCTAssertEqual(T.changes(people: [], kept: [key: .init(totalFen: 11_000_000, over: true, shops: shops)], limitFen: limit),
                       [.gone(key: key, shops: [shop("A", "a1", 0, name: ""), shop("B", "b1", 0, name: "")].map {
                           var s = $0; s.address = ""; return s
                       })], "no longer a pair: each shop it had is told")
        XCTAssertEqual(T.changes(people: [], kept: [key: .init(totalFen: 0, over: false, shops: shops)], limitFen: limit), [],
                       "gone, and was not over the limit: nothing to withdraw")
    }

    func testTheSumIsSentToEveryShopWhenOverAndWithdrawnWhenNot() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            var (status, _) = try await P.post(client, platform: "A", key: "a1", [
                Self.exempt("A", "a1", name: "王五", address: "成都市锦江区春熙路1号", turnoverFen: 6_000_000),
                Self.exempt("A", "a2", name: "赵六", address: "成都市锦江区春熙路2号", turnoverFen: 9_000_000),
            ])
            XCTAssertEqual(status, .ok)
            (status, _) = try await P.post(client, platform: "B", key: "b1", [
                Self.exempt("B", "b1", name: "王五", address: "成都市锦江区 春熙路1号", turnoverFen: 5_000_000),
            ])
            XCTAssertEqual(status, .ok)
            let due = try await f.store.read { try $0.turnoverChanges().changes.count }
            XCTAssertEqual(due, 1, "the keeper's read finds the change before it takes the write lock")
            var sent = try await f.store.write { try $0.sendTurnoverSums(now: Timestamp.now()) }
            XCTAssertEqual(sent.map { "\($0.platformID) \($0.platformMerchantID ?? "-") \($0.type)" }, ["A a1 turnover", "B b1 turnover"])
            let toA = try XCTUnwrap(sent.first?.payload)
            XCTAssertEqual(toA["over"], .bool(true))
            XCTAssertEqual(toA["summed_turnover_fen"], .int(11_000_000))
            XCTAssertEqual(toA["shops"], .int(2))
            XCTAssertEqual(toA["shops_elsewhere"], .int(1))
            XCTAssertEqual(toA.jsonText.contains("b1"), false, "platform A never learns platform B's shop")
            XCTAssertTrue(toA["reason"]?.stringValue?.contains("合计110000元") == true, toA.jsonText)

            sent = try await f.store.write { try $0.sendTurnoverSums(now: Timestamp.now()) }
            XCTAssertEqual(sent, [], "nothing changed: nothing sent again")
            let dueAfter = try await f.store.read { try $0.turnoverChanges().changes.count }
            XCTAssertEqual(dueAfter, 0)

            // B's shop sells less: together within the limit; both hear the sum no longer applies.
            (status, _) = try await P.post(client, platform: "B", key: "b2", [
                Self.exempt("B", "b1", name: "王五", address: "成都市锦江区春熙路1号", turnoverFen: 3_000_000, hash: "2"),
            ])
            XCTAssertEqual(status, .ok)
            sent = try await f.store.write { try $0.sendTurnoverSums(now: Timestamp.now()) }
            XCTAssertEqual(sent.map { "\($0.platformID) \($0.payload["over"] == .bool(false))" }, ["A true", "B true"])
            sent = try await f.store.write { try $0.sendTurnoverSums(now: Timestamp.now()) }
            XCTAssertEqual(sent, [])
        }
    }
}
