import Foundation
import SandboxCore
import XCTest
@testable import SandboxRegulator

/// `searchEnterprises`, the console's search, on the store: every field it finds an enterprise
/// by, exact before prefix, jurisdiction and region, and terms kept as records and the registry
/// change (written with them, SearchTerm).
final class EnterpriseSearchTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias S = StaffAccessTests

    func testFindsByEveryFieldWithinTheJurisdictionAndRegion() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in try await S.fileEnterprises(client) }
        _ = try await f.store.write { try $0.importRegistry([
            RegistryRecord(uscc: S.jinjiang, name: "成都锦江小吃有限公司", legalRepresentative: "张三"),
            RegistryRecord(uscc: S.wuhou, name: "成都武侯茶馆有限公司", legalRepresentative: "李四"),
        ], now: 1) }
        func search(_ text: String, region: String? = nil, _ j: Jurisdiction = .everything) async throws -> [String] {
            try await f.store.read { try $0.searchEnterprises(text, region: region, jurisdiction: j) }.map(\.uscc)
        }
        var found = try await search(S.jinjiang)
        XCTAssertEqual(found, [S.jinjiang], "the USCC")
        found = try await search(S.jinjiang.lowercased())
        XCTAssertEqual(found, [S.jinjiang], "a code typed in lower case")
        found = try await search("成都锦江")
        XCTAssertEqual(found, [S.jinjiang], "the registered name's start")
        found = try await search("李四")
        XCTAssertEqual(found, [S.wuhou], "the legal representative")
        found = try await search("m2")
        XCTAssertEqual(found, [S.wuhou], "the platform merchant id")
        found = try await search("店m3")
        XCTAssertEqual(found, [S.wuhouShopInJinjiang], "the shop name")
        found = try await search("成都")
        XCTAssertEqual(Set(found), [S.jinjiang, S.wuhou])
        found = try await search("店m", .district("510104"))
        XCTAssertEqual(Set(found), [S.jinjiang, S.wuhouShopInJinjiang], "registered or with a storefront in the district")
        found = try await search("店m", region: "510107")
        XCTAssertEqual(Set(found), [S.wuhou, S.wuhouShopInJinjiang], "the region filter, registration or storefront")
        found = try await search("店m", .association("food"))
        XCTAssertEqual(found, [], "an association without members sees none")
        found = try await search("   ")
        XCTAssertEqual(found, [], "nothing asked, nothing listed")
        found = try await search("不存在")
        XCTAssertEqual(found, [])

        let hit = try await f.store.read { try $0.searchEnterprises("张三", region: nil, jurisdiction: .everything) }.first
        XCTAssertEqual(hit?.name, "成都锦江小吃有限公司")
        XCTAssertEqual(hit?.matches, [.init(field: "legal_representative", term: "张三")])

        // The registry changes (an upsert over the row): the same name again, then a new name —
        // both found, nothing refused (a trigger must not trip over a term it already has).
        _ = try await f.store.write { try $0.importRegistry([
            RegistryRecord(uscc: S.jinjiang, name: "成都锦江小吃有限公司", legalRepresentative: "张三", address: "新地址"),
        ], now: 2) }
        _ = try await f.store.write { try $0.importRegistry([
            RegistryRecord(uscc: S.jinjiang, name: "锦江新名有限公司", legalRepresentative: "张三", address: "新地址"),
        ], now: 3) }
        found = try await search("锦江新名")
        XCTAssertEqual(found, [S.jinjiang])
        found = try await search("成都锦江")
        XCTAssertEqual(found, [S.jinjiang], "the former name still finds it")
    }

    func testExactMatchesComeFirstAndRenamesKeepTheFormerName() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in
            // m1's shop is "店m1", m10's "店m10": asking for m1 puts the exact merchant id first
            // even though another enterprise's term sorts before it.
            let line10 = S.merchant("m10", uscc: S.wuhou, region: "510107")
            let line1 = S.merchant("m1", uscc: S.jinjiang, region: "510104")
            var body = try F.gzip(F.lines([line10, line1]))
            var r = try await client.execute(uri: "/v1/feeds", method: .post, headers: F.signed("A", body: body, key: "b1"),
                                             body: F.buffer(body))
            XCTAssertEqual(r.status, .ok, F.text(r))
            var found = try await f.store.read { try $0.searchEnterprises("m1", region: nil, jurisdiction: .everything) }.map(\.uscc)
            XCTAssertEqual(found, [S.jinjiang, S.wuhou])
            // A new shop name: both the new and the former find it.
            let renamed = #"{"type":"merchant","platform_id":"A","key":"m1","uscc":"\#(S.jinjiang)","content_hash":"99","data":{"platform_merchant_id":"m1","shop_name":"新名字","region_code":"510104"}}"#
            body = try F.gzip(F.lines([renamed]))
            r = try await client.execute(uri: "/v1/feeds", method: .post, headers: F.signed("A", body: body, key: "b2"), body: F.buffer(body))
            XCTAssertEqual(r.status, .ok, F.text(r))
            XCTAssertEqual(try F.json(r)["accepted"] as? Int, 1, F.text(r))
            found = try await f.store.read { try $0.searchEnterprises("新名", region: nil, jurisdiction: .everything) }.map(\.uscc)
            XCTAssertEqual(found, [S.jinjiang])
            found = try await f.store.read { try $0.searchEnterprises("店m1", region: nil, jurisdiction: .everything) }.map(\.uscc)
            XCTAssertEqual(found.first, S.jinjiang)
        }
    }
}
