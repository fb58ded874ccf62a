import Foundation
import Hummingbird

import SandboxCore
import SandboxPolicy
import SandboxPack
import XCTest
@testable import SandboxRegulator

final class DrawRunTests: XCTestCase {
    typealias F = RegulatorFixture
    typealias P = PolicyItems

    static var packPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../rulepacks/chengdu-2026.1.toml").standardized.path
    }

    static func uscc(_ i: Int, region: String = "510104") -> String {
        "91" + region + String(format: "%010d", i)
    }

    /// 12 enterprises on A: 1–3 members, 4–6 class D, 7–9 class C, 10–12 never classified;
    /// 13 only closed storefronts, 14 revoked (platform's registry copy), 15 on B in 510107.
    static func seed(_ client: some TestClientProtocol) async throws {
        var a: [String] = []
        for i in 1...12 {
            a.append(F.merchantLine(platform: "A", id: "m\(i)", uscc: Self.uscc(i)))
            switch i {
            case 1...3: a += [P.roster("A", "m\(i)", uscc: Self.uscc(i), member: true), P.creditClass("A", "m\(i)", uscc: Self.uscc(i), "A")]
            case 4...6: a.append(P.creditClass("A", "m\(i)", uscc: Self.uscc(i), "D"))
            case 7...9: a.append(P.creditClass("A", "m\(i)", uscc: Self.uscc(i), "C"))
            default: break
            }
        }
        a.append(#"{"type":"merchant","platform_id":"A","key":"m13","uscc":"\#(Self.uscc(13))","content_hash":"1","data":{"shop_name":"关店","status":"closed"}}"#)
        a.append(F.merchantLine(platform: "A", id: "m14", uscc: Self.uscc(14)))
        a.append(#"{"type":"registry","platform_id":"A","key":"\#(Self.uscc(14))","content_hash":"1","data":{"uscc":"\#(Self.uscc(14))","name":"吊销企业","registration_status":"revoked"}}"#)
        var (status, answer) = try await P.post(client, platform: "A", key: "a1", a)
        XCTAssertEqual(status, .ok)
        XCTAssertEqual((answer["rejected"] as? [Any])?.count, 0, "\(answer)")
        (status, _) = try await P.post(client, platform: "B", key: "b1", [
            F.merchantLine(platform: "B", id: "n15", uscc: Self.uscc(15, region: "510107"), shop: "武侯店"),
            P.creditClass("B", "n15", uscc: Self.uscc(15, region: "510107"), "D"),
        ])
        XCTAssertEqual(status, .ok)
    }

    func inspectorsFile(_ f: F, _ text: String) throws -> String {
        let path = f.folder + "/inspectors.toml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let inspectors = """
        [[inspector]]
        id = "J1"
        name = "锦江一"
        unit = "锦江区市场监管局"
        regions = ["510104"]
        active = true

        [[inspector]]
        id = "J2"
        name = "锦江二"
        unit = "锦江区市场监管局"
        regions = ["510104"]

        [[inspector]]
        id = "W1"
        name = "武侯一"
        unit = "武侯区市场监管局"
        regions = ["510107"]

        [[inspector]]
        id = "C1"
        name = "市局"
        unit = "成都市市场监管局"
        regions = []
        """

    func testDrawOnAStoredPopulationIsReproducibleAndStored() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in try await Self.seed(client) }
        let path = try inspectorsFile(f, Self.inspectors)
        let options = DrawRun.Options(packPath: Self.packPath, seed: "2026-07-01", inspectorsPath: path, asOf: "2026-07-01", createdBy: "test")
        let report = try await DrawRun.run(options, store: f.store)
        let r = report.result
        XCTAssertEqual(r.populationLines.count, 13, "12 on A + 1 on B; closed and revoked are out: \(r.populationLines)")
        XCTAssertFalse(r.populationLines.contains { $0.hasPrefix(Self.uscc(13)) || $0.hasPrefix(Self.uscc(14)) })
        let n = Dictionary(uniqueKeysWithValues: r.strata.map { ($0.name, [$0.n, $0.k]) })
        XCTAssertEqual(n["sandbox"], [3, 1])
        XCTAssertEqual(n["B"], [3, 1])
        XCTAssertEqual(n["C"], [3, 1])
        XCTAssertEqual(n["D"], [4, 2], "50 % of 4")
        XCTAssertEqual(r.unclassified, 3)
        XCTAssertEqual(report.packVersion, "chengdu-2026.1")
        XCTAssertEqual(report.packSerial, 1)
        XCTAssertGreaterThan(report.id, 0)
        let again = try await DrawRun.run(options, store: f.store)
        XCTAssertEqual(again.result, r, "same seed, same population: same draw")
        XCTAssertEqual(again.id, report.id + 1, "every run is stored")
        let stored = try await f.store.write { try $0.storedDraw(id: report.id) }
        XCTAssertEqual(stored?.population, r.populationLines.joined())
        XCTAssertEqual(PureSHA256.hexDigest(Array((stored?.population ?? "").utf8)), r.populationDigest)
        XCTAssertTrue(report.text().contains("population digest:  sha256 \(r.populationDigest)"))
        XCTAssertTrue(report.json().contains(#""seed":"2026-07-01""#))
        XCTAssertEqual(report.csv().split(separator: "\n").count, 1 + r.drawn.count)
        for d in r.drawn { XCTAssertEqual(d.inspectors.count, 2) }
    }

    func testTooFewInspectorsForARegionAndNoPackAreOperatorErrors() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in try await Self.seed(client) }
        // Only region 510104: if the 510107 enterprise (class D, 1 of 4) is drawn the error names 510107.
        let only104 = try inspectorsFile(f, """
            [[inspector]]
            id = "J1"
            name = "a"
            regions = ["510104"]
            [[inspector]]
            id = "J2"
            name = "b"
            regions = ["510104"]
            """)
        var failures = 0
        for seed in (1...8).map({ "seed-\($0)" }) {
            do {
                let report = try await DrawRun.run(.init(packPath: Self.packPath, seed: seed, inspectorsPath: only104, asOf: "2026-07-01",
                                                         createdBy: "test"), store: f.store)
                XCTAssertFalse(report.result.drawn.contains { $0.uscc == Self.uscc(15, region: "510107") })
            } catch {
                failures += 1
                XCTAssertTrue(error.message.contains("region 510107"), error.message)
            }
        }
        XCTAssertGreaterThan(failures, 0, "with 2 of 4 drawn in D, some seed draws the 510107 enterprise")
        // A district's draw reads its own enterprises only (the region is in the query): 510104's
        // never needs the 510107 inspectors, and 510107's population is its one enterprise.
        for seed in (1...8).map({ "seed-\($0)" }) {
            let report = try await DrawRun.run(.init(packPath: Self.packPath, seed: seed, inspectorsPath: only104, asOf: "2026-07-01",
                                                     createdBy: "test", region: "510104"), store: f.store)
            XCTAssertEqual(report.result.populationCount, 12, "13 less the 510107 enterprise")
            XCTAssertTrue(report.result.populationLines.allSatisfy { $0.hasPrefix("91510104") })
        }
        let wuhou = try await DrawRun.draw(seed: "s", inspectors: [Inspector(id: "W", name: "w", regions: ["510107"]),
                                                                   Inspector(id: "W2", name: "w2", regions: ["510107"])],
                                           asOf: "2026-07-01", region: "510107", packPath: Self.packPath, store: f.store, now: 0)
        XCTAssertEqual(wuhou.result.populationLines, ["\(Self.uscc(15, region: "510107")),D\n"])
        do {
            _ = try await DrawRun.run(.init(packPath: nil, seed: "s", inspectorsPath: only104, asOf: nil, createdBy: "test"), store: f.store)
            XCTFail("no pack published")
        } catch {
            XCTAssertTrue(error.message.contains("no rule pack is published"), error.message)
        }
        do {
            _ = try await DrawRun.run(.init(packPath: Self.packPath, seed: "s", inspectorsPath: only104, asOf: "2026-7-1", createdBy: "t"),
                                      store: f.store)
            XCTFail("bad as-of")
        } catch {
            XCTAssertTrue(error.message.contains("YYYY-MM-DD"), error.message)
        }
    }

    func testWithoutPackFileTheNewestPublishedPackIsUsed() async throws {
        let signer = PackSigner()
        let f = try F(rulePackKeys: TrustedKeys([signer.publicKey])); defer { f.remove() }
        try await f.app().test(.router) { client in try await Self.seed(client) }
        let pack = RulePackEndpointTests.pack(serial: 3)
        _ = try await f.router.publisher.publish(content: pack, signature: try signer.sign(pack), by: "test")
        let path = try inspectorsFile(f, Self.inspectors)
        let report = try await DrawRun.run(.init(packPath: nil, seed: "s", inspectorsPath: path, asOf: "2026-07-01", createdBy: "t"),
                                           store: f.store)
        XCTAssertEqual(report.packVersion, "chengdu-2026.3")
        XCTAssertEqual(report.packSerial, 3)
    }

    /// Without --as-of the draw is for today in Asia/Shanghai: at 17:00 there it is still that day.
    func testTheDefaultDayIsTodayInShanghai() async throws {
        let f = try F(); defer { f.remove() }
        try await f.app().test(.router) { client in try await Self.seed(client) }
        let inspectors = try InspectorsFile.parse(Self.inspectors, file: "inspectors")
        for (instant, day) in [("2026-07-01T17:00:00+08:00", "2026-07-01"), ("2026-07-01T23:59:59+08:00", "2026-07-01"),
                               ("2026-07-02T00:00:00+08:00", "2026-07-02")] {
            let report = try await DrawRun.draw(seed: "s", inspectors: inspectors, asOf: nil, region: nil, packPath: Self.packPath,
                                                store: f.store, now: try XCTUnwrap(UTCTime.parse(instant)))
            XCTAssertEqual(report.asOf, day, instant)
        }
    }

    func testInspectorsFileErrorsSayWhatToFix() {
        XCTAssertThrowsError(try InspectorsFile.parse("[[inspector]]\nname = \"x\"\n", file: "i.toml")) {
            XCTAssertEqual("\($0)", "i.toml: [[inspector]] #1: `id` is required (a non-empty string)")
        }
        XCTAssertThrowsError(try InspectorsFile.parse("[[inspector]]\nid = \"a\"\nname = \"x\"\nregions = [\"5101\"]\n", file: "i.toml")) {
            XCTAssertTrue("\($0)".contains("6-digit"), "\($0)")
        }
        XCTAssertThrowsError(try InspectorsFile.parse("[[inspector]]\nid = \"a\"\nname = \"x\"\nteam = 1\n", file: "i.toml")) {
            XCTAssertTrue("\($0)".contains("unknown key `team`"), "\($0)")
        }
        let ok = try? InspectorsFile.parse("[[inspector]]\nid = \"a\"\nname = \"x\"\nactive = false\n", file: "i.toml")
        XCTAssertEqual(ok, [Inspector(id: "a", name: "x", regions: [], active: false)])
    }
}
