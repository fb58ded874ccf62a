import XCTest
import SandboxCore
@testable import SandboxAgent
@testable import SandboxGenerate

/// The city (issue 13): sellers on several platforms, each platform's four exports, day by day.
final class CityGeneratorTests: XCTestCase {
    let start = CivilDate(year: 2026, month: 6, day: 15)!

    private func city(seed: UInt64 = 13, storefronts: Int = 3_000, platforms: Int = 9, day: CivilDate? = nil,
                      into dir: String? = nil) throws -> (CityGenerator, GeneratedCity) {
        let g = CityGenerator(seed: seed, storefronts: storefronts, platforms: platforms, start: start)
        return (g, try g.write(to: try dir ?? generatedFolder(), day: day ?? start))
    }

    private func rows(_ city: GeneratedCity, _ file: KeyPath<GeneratedCity.Platform, String>) throws -> [(String, [String: String])] {
        try city.platforms.flatMap { p in try GeneratedCSV.table(p[keyPath: file]).rows.map { (p.platformID, $0) } }
    }

    func testSameSeedAndDayGiveTheSameBytes() throws {
        let (_, a) = try city()
        let (_, b) = try city()
        let (_, c) = try city(seed: 14)
        for (x, y) in zip(a.platforms, b.platforms) {
            for f in [\GeneratedCity.Platform.merchantsPath, \.licencesPath, \.registryPath, \.eventsPath] {
                XCTAssertEqual(try GeneratedCSV.read(x[keyPath: f]), try GeneratedCSV.read(y[keyPath: f]), x[keyPath: f])
            }
        }
        XCTAssertNotEqual(try GeneratedCSV.read(a.platforms[0].merchantsPath), try GeneratedCSV.read(c.platforms[0].merchantsPath))
        XCTAssertTrue(a.platforms[2].eventsPath.hasSuffix("/platform-3/events-platform-3-20260615.csv"), a.platforms[2].eventsPath)
    }

    /// A seller trades on 1–4 platforms, never twice on one; big platforms hold more storefronts.
    func testSellersTradeOnOneToFourPlatforms() throws {
        let (_, c) = try city()
        let merchants = try rows(c, \.merchantsPath)
        XCTAssertEqual(merchants.count, c.storefronts)
        var platformsOf: [String: [String]] = [:]
        for (platform, row) in merchants where !row["统一社会信用代码"]!.isEmpty {
            platformsOf[row["统一社会信用代码"]!, default: []].append(platform)
        }
        let counts = platformsOf.values.map(\.count)
        XCTAssertEqual(Set(counts).subtracting(1...4), [])
        XCTAssertTrue(platformsOf.values.allSatisfy { Set($0).count == $0.count }, "one storefront per platform")
        XCTAssertGreaterThan(counts.filter { $0 >= 2 }.count, counts.count / 10, "many sellers on several platforms")
        XCTAssertGreaterThan(counts.filter { $0 == 4 }.count, 0)
        let sizes = c.platforms.map(\.storefronts)
        XCTAssertGreaterThan(sizes[0], 3 * sizes[8], "\(sizes)")
        // Every platform's registry extract has one row per registered storefront's seller.
        for p in c.platforms {
            let registry = try GeneratedCSV.table(p.registryPath).rows.map { $0["统一社会信用代码"]! }
            XCTAssertEqual(Set(registry).count, registry.count)
        }
    }

    /// Online trade: many 个体工商户 and natural persons; licences for food, drugs, devices.
    func testEntityMixLicencesAndElsewhereRegistrations() throws {
        let (_, c) = try city(storefronts: 6_000)
        let share = { (type: String) in Double(c.storefrontsByType[type] ?? 0) / Double(c.storefronts) }
        XCTAssertTrue((0.25...0.45).contains(share("natural_person")), "\(c.storefrontsByType)")
        XCTAssertTrue((0.35...0.50).contains(share("individual_business")), "\(c.storefrontsByType)")
        let licences = try rows(c, \.licencesPath).map { $0.1["许可证类型"]! }
        for type in ["食品经营许可证", "仅销售预包装食品备案", "药品经营许可证", "第二类医疗器械经营备案", "医疗器械经营许可证"] {
            XCTAssertTrue(licences.contains(type), type)
        }
        let divisions = try rows(c, \.merchantsPath).compactMap { $0.1["统一社会信用代码"].flatMap { $0.isEmpty ? nil : String($0.dropFirst(2).prefix(4)) } }
        let elsewhere = divisions.filter { $0 != "5101" }.count
        XCTAssertTrue((divisions.count / 10...divisions.count / 6).contains(elsewhere), "registered outside Chengdu (14 %): \(elsewhere) of \(divisions.count)")
        // Every code is valid but for the platform's planted keying slips in the check character.
        for (_, row) in try rows(c, \.merchantsPath) where !row["统一社会信用代码"]!.isEmpty {
            switch USCC.check(row["统一社会信用代码"]!) {
            case .valid, .invalid(.checkCharacter): break
            default: XCTFail(row["统一社会信用代码"]!)
            }
        }
    }

    /// The first day's events file carries the year before; later days the last 30 days.
    /// Natural persons trading without registration sell little (零星小额): their turnover is
    /// skewed towards small amounts, so a person's two shops together seldom pass the 100,000 CNY
    /// limit (the uniform draw put the median person near 50,000 CNY and half the pairs over it).
    func testNaturalPersonsTurnoverIsMostlySmall() throws {
        let (_, c) = try city(storefronts: 6_000)
        let turnovers = try rows(c, \.merchantsPath)
            .filter { $0.1["统一社会信用代码"]!.isEmpty }
            .compactMap { $0.1["年交易额(元)"].flatMap(Double.init) }
            .filter { $0 <= 100_000 }
            .sorted()
        XCTAssertGreaterThan(turnovers.count, 1_000)
        let median = turnovers[turnovers.count / 2]
        XCTAssertTrue((5_000...20_000).contains(median), "median \(median) CNY")
        XCTAssertLessThan(turnovers.filter { $0 > 50_000 }.count, turnovers.count * 2 / 5, "about 28 %; uniform: half")
        XCTAssertGreaterThanOrEqual(turnovers.first ?? 0, 1_000)
    }

    func testEventsHistoryFirstThenTheLastThirtyDays() throws {
        let (_, first) = try city()
        let history = try rows(first, \.eventsPath).map(\.1)
        XCTAssertGreaterThan(history.count, 1_000)
        XCTAssertEqual(Set(history.map { $0["事件编号"]! }).count, history.count, "ids are unique")
        XCTAssertEqual(Set(history.map { $0["事件类型"]! }), ["投诉", "纠纷", "违规", "处罚", "召回"])
        XCTAssertTrue(history.allSatisfy { $0["发生时间"]! < "2026-06-15" && $0["发生时间"]! >= "2025-06-15" })
        let later = try rows(try city(day: start.adding(days: 40)).1, \.eventsPath).map(\.1)
        XCTAssertTrue(later.allSatisfy { $0["发生时间"]! >= "2026-06-25" && $0["发生时间"]! < "2026-07-25" })
        XCTAssertGreaterThan(later.count, 50)
    }

    /// Exports change a little every day: a few storefronts open, close, are re-verified, put a
    /// problem right or show a new one; the rest are the same bytes.
    func testEachDayChangesALittle() throws {
        let (_, d1) = try city(day: start.adding(days: 10))
        let (_, d2) = try city(day: start.adding(days: 11))
        let a = Dictionary(try rows(d1, \.merchantsPath).map { ($0.1["平台经营者ID"]!, $0.1) }) { x, _ in x }
        let b = Dictionary(try rows(d2, \.merchantsPath).map { ($0.1["平台经营者ID"]!, $0.1) }) { x, _ in x }
        let changed = b.filter { id, row in a[id] != row }.count
        XCTAssertGreaterThan(changed, 10)
        XCTAssertLessThan(changed, b.count / 10, "a little, not everything")
        XCTAssertGreaterThanOrEqual(b.count, a.count, "shops open during the year")
    }

    /// Problems of the first day are put right on their own days (most quickly, a few never),
    /// and annual reports are filed in the first half of the year.
    func testProblemsArePutRightAndReportsFiled() throws {
        let (g, _) = try city(storefronts: 10)
        let planner = g.planner
        var before = 0, after = 0, filedJune = 0, filedDecember = 0, registered = 0
        for seller in 0..<4_000 {
            let e = planner.enterprise(at: seller)
            for slot in e.platforms.indices {
                let day0 = planner.storefront(of: e, slot: slot, on: start.dayNumber, registry: nil)
                let day60 = planner.storefront(of: e, slot: slot, on: start.dayNumber + 60, registry: nil)
                guard let day0, let day60, day0.plan.problems.contains(.licenceNotDisplayed) else { continue }
                before += 1
                if day60.plan.licenceDisplayed { after += 1 }
            }
            guard e.entity.hasUSCC, e.entity.established < start.dayNumber - 400 else { continue }
            registered += 1
            if e.registryEntry(on: CivilDate(year: 2026, month: 6, day: 1)!.dayNumber).lastAnnualReportYear == 2025 { filedJune += 1 }
            if e.registryEntry(on: CivilDate(year: 2026, month: 12, day: 1)!.dayNumber).lastAnnualReportYear == 2025 { filedDecember += 1 }
        }
        XCTAssertGreaterThan(before, 10)
        XCTAssertTrue((Double(before) * 0.7...Double(before) * 0.99).contains(Double(after)), "\(after) of \(before) put right")
        XCTAssertTrue((0.2...0.7).contains(Double(filedJune) / Double(registered)), "filed by 1 June: \(filedJune)/\(registered)")
        XCTAssertTrue((0.85...0.99).contains(Double(filedDecember) / Double(registered)), "by December: \(filedDecember)/\(registered)")
    }

    func testADayBeforeTheStartIsRefused() throws {
        XCTAssertThrowsError(try city(day: start.adding(days: -1))) {
            XCTAssertEqual($0 as? GeneratorError, .dayBeforeStart(day: "2026-06-14", start: "2026-06-15"))
        }
    }

    /// The single-platform export is byte-for-byte what it was before the city (SHA-256 of
    /// files written by the generator before issue 13's city).
    func testTheSinglePlatformExportIsUnchanged() throws {
        let dir = try generatedFolder()
        let g = ExportGenerator(seed: 1, merchantCount: 30_000, platformID: "demo-platform", today: CivilDate(year: 2026, month: 7, day: 1)!)
        let f = try g.write(to: dir, encoding: .utf8, headers: .chinese)
        XCTAssertEqual(try FileDigest.sha256(path: f.merchantsPath), "10454456b7b59d35b1dc758dc1c1101520161560a2e52f4277bc1107a5decbc0")
        XCTAssertEqual(try FileDigest.sha256(path: f.licencesPath), "d12a89a1ac071dfef98a8759388e2d39dbd582f1930fd171ca883a21a1feeea4")
        XCTAssertEqual(try FileDigest.sha256(path: f.registryPath), "fb449608fc1a854d3685e506ac15b782b29b05a877d08aa1a406d37dfe5f7d1d")
    }
}
