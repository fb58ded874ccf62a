import XCTest
import SandboxCore
@testable import SandboxGenerate

final class GenerateExportTests: XCTestCase {
    let today = CivilDate(year: 2026, month: 7, day: 1)!

    private func generate(seed: UInt64 = 7, count: Int = 2_000, headers: HeaderLanguage = .chinese,
                          order: RowOrder = .natural, mix: ProblemMix = ProblemMix(),
                          into dir: String? = nil) throws -> (ExportGenerator, GeneratedFiles) {
        let g = ExportGenerator(seed: seed, merchantCount: count, platformID: "demo", today: today, problemMix: mix)
        let files = try g.write(to: try dir ?? generatedFolder(), encoding: .utf8,
                                headers: headers, rowOrder: order)
        return (g, files)
    }

    // MARK: determinism

    func testSameSeedGivesIdenticalBytesAndAnotherSeedDoesNot() throws {
        let (_, a) = try generate(seed: 7)
        let (_, b) = try generate(seed: 7)
        let (_, c) = try generate(seed: 8)
        for (x, y) in [(a.merchantsPath, b.merchantsPath), (a.licencesPath, b.licencesPath), (a.registryPath, b.registryPath)] {
            XCTAssertEqual(try GeneratedCSV.read(x), try GeneratedCSV.read(y), x)
        }
        XCTAssertEqual(a, GeneratedFiles(merchantsPath: a.merchantsPath, licencesPath: a.licencesPath,
                                         registryPath: a.registryPath, merchantRows: b.merchantRows,
                                         licenceRows: b.licenceRows, registryRows: b.registryRows,
                                         merchantBytes: b.merchantBytes, licenceBytes: b.licenceBytes,
                                         registryBytes: b.registryBytes, problemCounts: b.problemCounts,
                                         merchantsWithProblems: b.merchantsWithProblems))
        XCTAssertNotEqual(try GeneratedCSV.read(a.merchantsPath), try GeneratedCSV.read(c.merchantsPath))
        XCTAssertNotEqual(try GeneratedCSV.read(a.registryPath), try GeneratedCSV.read(c.registryPath))
    }

    /// A merchant depends on (seed, index) only: a smaller export is a prefix of a larger one.
    func testSmallerExportIsPrefixOfLarger() throws {
        let (_, small) = try generate(count: 300)
        let (_, large) = try generate(count: 600)
        let s = try GeneratedCSV.read(small.merchantsPath), l = try GeneratedCSV.read(large.merchantsPath)
        XCTAssertEqual(Array(l.prefix(s.count)), s)
    }

    func testKnownFirstRowForSeed42() throws {
        let (_, files) = try generate(seed: 42, count: 1)
        let rows = GeneratedCSV.parse(try GeneratedCSV.read(files.merchantsPath))
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows[1].count, 19)
        XCTAssertEqual(USCC.check(rows[1][3]), .valid)
        XCTAssertEqual(rows[1][18], String(rows[1][3].dropFirst(2).prefix(6)), "region code = USCC positions 3–8")
    }

    // MARK: shape

    func testChineseHeaderRowsAreExact() throws {
        let (_, f) = try generate(count: 10)
        XCTAssertEqual(try firstLine(f.merchantsPath),
                       "平台经营者ID,店铺名称,主体类型,统一社会信用代码,经营者名称,法定代表人,住所,公示名称,公示统一社会信用代码,公示住所,是否亮照,经营类目,小额零星声明,年交易额(元),平台核验日期,入驻日期,店铺状态,近90日投诉数,行政区划代码")
        XCTAssertEqual(try firstLine(f.licencesPath), "平台经营者ID,许可证类型,许可证编号,持证主体,有效期起,有效期至,发证机关")
        XCTAssertEqual(try firstLine(f.registryPath),
                       "统一社会信用代码,名称,法定代表人,住所,登记状态,最近变更日期,列入经营异常名录,列入严重违法失信名单,最近年报年度")
        XCTAssertTrue(f.merchantsPath.hasSuffix("/merchants-demo-20260701.csv"))
        XCTAssertTrue(f.licencesPath.hasSuffix("/licences-demo-20260701.csv"))
        XCTAssertTrue(f.registryPath.hasSuffix("/registry-demo-20260701.csv"))
    }

    func testEnglishHeaderRowsAndValuesAreExact() throws {
        let (_, f) = try generate(count: 200, headers: .english)
        XCTAssertEqual(try firstLine(f.merchantsPath),
                       "platform_merchant_id,shop_name,entity_type,uscc,registered_name,legal_representative,registered_address,displayed_name,displayed_uscc,displayed_address,licence_displayed,category,small_scale_declared,annual_turnover_cny,verified_at,opened_at,status,complaints_90d,region_code")
        XCTAssertEqual(try firstLine(f.licencesPath), "platform_merchant_id,licence_type,licence_no,holder_name,valid_from,valid_to,issuer")
        XCTAssertEqual(try firstLine(f.registryPath),
                       "uscc,name,legal_representative,address,registration_status,changed_at,abnormal_list,serious_violation_list,last_annual_report_year")
        let rows = try GeneratedCSV.table(f.merchantsPath).rows
        XCTAssertEqual(Set(rows.map { $0["small_scale_declared"]! }).subtracting(["true", "false"]), [])
        XCTAssertEqual(Set(rows.map { $0["entity_type"]! }).subtracting(["enterprise", "individual_business", "natural_person"]), [])
        XCTAssertEqual(Set(rows.map { $0["status"]! }).subtracting(["active", "suspended", "closed"]), [])
        XCTAssertNotNil(rows.first { $0["category"] == "general" })
    }

    func testRowCountsAndUniqueKeys() throws {
        let (g, f) = try generate(count: 3_000)
        let merchants = try GeneratedCSV.table(f.merchantsPath).rows
        let licences = try GeneratedCSV.table(f.licencesPath).rows
        let registry = try GeneratedCSV.table(f.registryPath).rows
        XCTAssertEqual(merchants.count, 3_000)
        XCTAssertEqual(f.merchantRows, 3_000)
        XCTAssertEqual(licences.count, f.licenceRows)
        XCTAssertEqual(registry.count, f.registryRows)
        XCTAssertEqual(Set(merchants.map { $0["平台经营者ID"]! }).count, 3_000, "merchant ids are unique")
        XCTAssertEqual(merchants[17]["平台经营者ID"], g.merchantID(at: 17))
        // One registry row per USCC, and every registered merchant's entity has one.
        let registryUSCCs = registry.map { $0["统一社会信用代码"]! }
        XCTAssertEqual(Set(registryUSCCs).count, registryUSCCs.count)
        let registered = (0..<3_000).map { g.planner.storefront(at: $0) }.filter { $0.entity.hasUSCC }
        XCTAssertEqual(Set(registered.map { $0.entity.index }).count, registry.count)
        XCTAssertGreaterThan(registered.filter(\.secondShop).count, 20, "some entities run two storefronts")
        // Every category of EXPORT-FORMAT.md is listed, some merchants list several (issue 13).
        let listed = merchants.map { $0["经营类目"]!.split(separator: "；").map(String.init) }
        XCTAssertEqual(Set(listed.joined()), Set(MerchantCategory.allCases.map { $0.chineseNames[0] }))
        XCTAssertGreaterThan(listed.filter { $0.count > 1 }.count, 50, "some merchants sell several kinds")
        // Licence rows belong to known merchants; every licence type appears.
        let ids = Set(merchants.map { $0["平台经营者ID"]! })
        XCTAssertTrue(licences.allSatisfy { ids.contains($0["平台经营者ID"]!) })
        XCTAssertEqual(Set(licences.map { $0["许可证类型"]! }),
                       ["食品经营许可证", "仅销售预包装食品备案", "药品经营许可证", "医疗器械经营许可证", "第二类医疗器械经营备案",
                        "出版物经营许可证", "其他"])
        XCTAssertTrue(merchants.allSatisfy { $0.count == 19 })
    }

    func testEveryUSCCValidExceptPlantedOnes() throws {
        let (g, f) = try generate(count: 5_000)
        let merchants = try GeneratedCSV.table(f.merchantsPath).rows
        var broken = 0
        for (i, row) in merchants.enumerated() {
            let code = row["统一社会信用代码"]!
            if row["主体类型"] == "自然人" {
                XCTAssertEqual(code, ""); XCTAssertEqual(row["小额零星声明"], "是"); continue
            }
            let planted = g.problems(ofMerchantAt: i).contains(.usccCheckCharacter)
            switch USCC.check(code) {
            case .valid: XCTAssertFalse(planted, "row \(i) \(code)")
            case .invalid(.checkCharacter): XCTAssertTrue(planted, "row \(i) \(code)"); broken += 1
            case let other: XCTFail("row \(i) \(code): \(other)")
            }
            XCTAssertTrue(code.hasPrefix(row["主体类型"] == "企业" ? "91510" : "92510"), code)
            XCTAssertEqual(USCC.divisionCode(code), row["行政区划代码"])
        }
        XCTAssertEqual(broken, f.problemCounts[.usccCheckCharacter])
        XCTAssertGreaterThan(broken, 20)
        for row in try GeneratedCSV.table(f.registryPath).rows {
            XCTAssertEqual(USCC.check(row["统一社会信用代码"]!), .valid, row["统一社会信用代码"]!)
        }
    }

    func testLicenceNumberShapes() throws {
        let (_, f) = try generate(count: 3_000)
        for row in try GeneratedCSV.table(f.licencesPath).rows {
            let no = Array(row["许可证编号"]!.utf8)
            switch row["许可证类型"]! {
            case "食品经营许可证":
                XCTAssertEqual(no.count, 16)
                XCTAssertEqual(Array(no.prefix(6)), Array("JY1510".utf8), row["许可证编号"]!)
                XCTAssertTrue(no.dropFirst(2).allSatisfy { $0 >= 0x30 && $0 <= 0x39 })
                XCTAssertEqual(row["发证机关"]!.hasSuffix("区市场监督管理局") || row["发证机关"]!.hasSuffix("县市场监督管理局")
                               || row["发证机关"]!.hasSuffix("市市场监督管理局"), true)
            case "医疗器械经营备案":
                XCTAssertTrue(row["许可证编号"]!.hasPrefix("川蓉市监械经营备"))
                XCTAssertEqual(row["有效期至"], "", "a filing has no expiry")
            case "药品经营许可证":
                XCTAssertTrue(row["许可证编号"]!.hasPrefix("川CB028"))
            default: break
            }
            XCTAssertNotEqual(row["有效期起"], "")
        }
    }

    func testDatesAreInRealisticRanges() throws {
        let (g, f) = try generate(count: 3_000)
        for (i, row) in try GeneratedCSV.table(f.merchantsPath).rows.enumerated() {
            let opened = try XCTUnwrap(date(row["入驻日期"]!)), verified = try XCTUnwrap(date(row["平台核验日期"]!))
            XCTAssertLessThan(opened, today)
            XCTAssertGreaterThanOrEqual(opened, today.adding(days: -3650))
            XCTAssertLessThanOrEqual(opened, verified, "row \(i)")
            XCTAssertLessThanOrEqual(verified, today)
            let stale = verified.days(until: today) >= 190
            XCTAssertEqual(stale, g.problems(ofMerchantAt: i).contains(.verificationStale), "row \(i)")
            if !stale { XCTAssertLessThanOrEqual(verified.days(until: today), 175) }
        }
    }

    // MARK: quoting

    func testWriterQuotesOnlyWhereNeeded() throws {
        let dir = try generatedFolder()
        var w = try CSVFileWriter(directory: dir, name: "x.csv", lineEnding: .crlf, transcode: nil)
        w.field(Array("plain".utf8))
        w.field(Array("a,b\"c".utf8))
        w.field(Array("两行\n文本".utf8))
        w.emptyField()
        try w.endRow()
        _ = try w.finish()
        XCTAssertEqual(String(decoding: try GeneratedCSV.read(dir + "/x.csv"), as: UTF8.self),
                       "plain,\"a,b\"\"c\",\"两行\n文本\",\r\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["x.csv"])
    }

    func testGeneratedShopNamesWithQuotesAndAddressesWithCommasRoundTrip() throws {
        let (_, f) = try generate(count: 5_000)
        let text = String(decoding: try GeneratedCSV.read(f.merchantsPath), as: UTF8.self)
        XCTAssertTrue(text.contains("\"\"正宗\"\""), "a shop name with quotes is quoted and its quotes doubled")
        let rows = try GeneratedCSV.table(f.merchantsPath).rows
        XCTAssertEqual(rows.count, 5_000, "quoted fields parse back to the right number of rows")
        XCTAssertTrue(rows.contains { $0["店铺名称"]!.contains("\"正宗\"") })
        XCTAssertTrue(rows.contains { $0["住所"]!.contains(",") })
    }

    // MARK: problem mix

    func testProblemSharesOnTenThousandMerchants() throws {
        let n = 10_000
        let (g, f) = try generate(seed: 2026, count: n)
        let mix = ProblemMix()
        let plans = (0..<n).map { g.planner.storefront(at: $0) }
        let registered = plans.filter { $0.entity.hasUSCC }.count
        let food = plans.filter { $0.entity.category == .food }.count
        let natural = plans.filter { $0.entity.type == .naturalPerson }.count
        func assertShare(_ p: GeneratedProblem, _ rate: Double, of base: Int, line: UInt = #line) {
            let observed = Double(f.problemCounts[p]!)
            let expected = rate * Double(base)
            let tolerance = max(4 * (expected * (1 - rate)).squareRoot(), 3)
            XCTAssertEqual(observed, expected, accuracy: tolerance, "\(p.rawValue)", line: line)
        }
        // Shares of the base population (displayed-differs only among those that display).
        assertShare(.usccCheckCharacter, mix.usccCheckCharacter, of: registered)
        assertShare(.licenceNotDisplayed, mix.licenceNotDisplayed, of: registered)
        let displaying = registered - f.problemCounts[.licenceNotDisplayed]!
        assertShare(.displayedNameDiffers, mix.displayedNameDiffers, of: displaying)
        assertShare(.displayedAddressDiffers, mix.displayedAddressDiffers, of: displaying)
        assertShare(.displayedUSCCDiffers, mix.displayedUSCCDiffers, of: displaying)
        assertShare(.foodLicenceMissing, mix.foodLicenceMissing, of: food)
        assertShare(.foodLicenceExpired, mix.foodLicenceExpired, of: food)
        assertShare(.foodLicenceHolderMismatch, mix.foodLicenceHolderMismatch, of: food)
        assertShare(.smallScaleOverLimit, mix.smallScaleOverLimit, of: natural)
        assertShare(.verificationStale, mix.verificationStale, of: n)
        assertShare(.registryChanged, mix.registryChanged, of: registered)
        assertShare(.registryEndsTrading, mix.registryEndsTrading, of: registered)
        assertShare(.abnormalList, mix.abnormalList, of: registered)
        assertShare(.seriousViolationList, mix.seriousViolationList, of: registered)
        assertShare(.annualReportOverdue, mix.annualReportOverdue, of: registered)
        // Population mix.
        XCTAssertEqual(Double(food) / Double(n), 0.195, accuracy: 0.02)
        XCTAssertEqual(Double(natural) / Double(n), 0.03, accuracy: 0.008)
        let share = Double(f.merchantsWithProblems) / Double(n)
        XCTAssertTrue((0.10...0.20).contains(share), "share of merchants with a problem: \(share)")
        XCTAssertEqual(f.merchantsWithProblems, plans.filter { !$0.problems.isEmpty }.count)
    }

    /// The files show each planted problem the way the agent will see it, and nothing else does.
    func testFilesShowThePlantedProblems() throws {
        let n = 10_000
        let (g, f) = try generate(seed: 2026, count: n)
        let merchants = try GeneratedCSV.table(f.merchantsPath).rows
        let licencesByMerchant = Dictionary(grouping: try GeneratedCSV.table(f.licencesPath).rows) { $0["平台经营者ID"]! }
        let registry = Dictionary(uniqueKeysWithValues: try GeneratedCSV.table(f.registryPath).rows.map {
            ($0["统一社会信用代码"]!, $0)
        })
        var seen: [GeneratedProblem: Int] = [:]
        for (i, m) in merchants.enumerated() {
            let planted = g.problems(ofMerchantAt: i)
            let plan = g.planner.storefront(at: i)
            func saw(_ p: GeneratedProblem, _ condition: Bool) {
                XCTAssertEqual(condition, planted.contains(p), "row \(i): \(p.rawValue)")
                if condition { seen[p, default: 0] += 1 }
            }
            let registered = m["主体类型"] != "自然人"
            if registered {
                saw(.licenceNotDisplayed, m["是否亮照"] == "否")
                if m["是否亮照"] == "是" {
                    saw(.displayedNameDiffers, m["公示名称"] != m["经营者名称"])
                    saw(.displayedAddressDiffers, m["公示住所"] != m["住所"])
                    saw(.displayedUSCCDiffers, m["公示统一社会信用代码"] != m["统一社会信用代码"])
                } else {
                    XCTAssertEqual([m["公示名称"], m["公示住所"], m["公示统一社会信用代码"]], ["", "", ""])
                }
            } else {
                let turnover = Double(m["年交易额(元)"]!)!
                saw(.smallScaleOverLimit, turnover > 100_000)
                saw(.exemptionDeclarationNotDisplayed, m["是否亮照"] == "否")   // the self-declaration
            }
            let licences = licencesByMerchant[m["平台经营者ID"]!] ?? []
            let categories = m["经营类目"]!.split(separator: "；").map(String.init)
            if categories.contains("仅销售预包装食品") {
                let covered = licences.contains { ["仅销售预包装食品备案", "食品经营许可证"].contains($0["许可证类型"]!) }
                saw(.prepackagedFilingMissing, !covered)
            }
            if categories.first == "食品" {
                saw(.foodLicenceMissing, licences.isEmpty)
                let current = licences.filter { date($0["有效期至"]!)! >= today }
                saw(.foodLicenceExpired, !licences.isEmpty && current.isEmpty)
                saw(.foodLicenceHolderMismatch, current.contains { $0["持证主体"] != m["经营者名称"] })
            }
            if registered {
                // The registry row is under the true code (the merchant's may carry a wrong check character).
                let entity = plan.entity
                let reg = try XCTUnwrap(registryRow(for: m, registry))
                let changedAt = reg["最近变更日期"]!.isEmpty ? nil : date(reg["最近变更日期"]!)
                let recent = changedAt.map { $0.days(until: today) <= 200 } ?? false
                saw(.registryChanged, recent && reg["名称"] != m["经营者名称"] && reg["住所"] != m["住所"])
                saw(.registryEndsTrading, ["吊销", "注销"].contains(reg["登记状态"]!) && m["店铺状态"] == "营业中")
                saw(.abnormalList, reg["列入经营异常名录"] == "是")
                saw(.seriousViolationList, reg["列入严重违法失信名单"] == "是")
                saw(.annualReportOverdue, reg["最近年报年度"] == "2024")
                XCTAssertEqual(entity.hasUSCC, true)
            }
        }
        for p in GeneratedProblem.allCases where p != .usccCheckCharacter && p != .verificationStale {
            XCTAssertEqual(seen[p, default: 0], f.problemCounts[p], p.rawValue)
            XCTAssertGreaterThan(seen[p, default: 0], 0, p.rawValue)
        }
    }

    func testCleanMixPlantsNothing() throws {
        let (g, f) = try generate(count: 2_000, mix: .none)
        XCTAssertEqual(f.merchantsWithProblems, 0)
        XCTAssertTrue(f.problemCounts.values.allSatisfy { $0 == 0 })
        XCTAssertTrue((0..<2_000).allSatisfy { g.problems(ofMerchantAt: $0).isEmpty })
    }

    // MARK: row order, encoding, files

    func testReversedAndShuffledOrdersHoldTheSameRecords() throws {
        let (_, natural) = try generate(count: 1_500)
        for order in [RowOrder.reversed, .shuffled(seed: 99)] {
            let (_, other) = try generate(count: 1_500, order: order)
            for (a, b) in [(natural.merchantsPath, other.merchantsPath), (natural.licencesPath, other.licencesPath),
                           (natural.registryPath, other.registryPath)] {
                let x = try lines(a), y = try lines(b)
                XCTAssertEqual(x.first, y.first, "same header")
                XCTAssertNotEqual(x, y, "\(order): another order")
                XCTAssertEqual(x.sorted(), y.sorted(), "\(order): the same records")
            }
            XCTAssertEqual(other.problemCounts, natural.problemCounts)
        }
        let (_, reversed) = try generate(count: 1_500, order: .reversed)
        XCTAssertEqual(try lines(reversed.merchantsPath).dropFirst().first,
                       try lines(natural.merchantsPath).last)
    }

    func testGB18030GoesThroughTheTranscoderAndNeedsOne() throws {
        let g = ExportGenerator(seed: 1, merchantCount: 500, platformID: "demo", today: today)
        let dir = try generatedFolder()
        XCTAssertThrowsError(try g.write(to: dir, encoding: .gb18030, headers: .chinese)) {
            XCTAssertEqual($0 as? GeneratorError, .missingTranscoder)
        }
        nonisolated(unsafe) var calls = 0
        // Stand-in transcoder: marks each chunk so the test can see it was applied.
        let f = try g.write(to: dir, encoding: .gb18030, headers: .chinese) { bytes in
            calls += 1
            return bytes.map { $0 == UInt8(ascii: "9") ? UInt8(ascii: "8") : $0 }
        }
        XCTAssertEqual(calls, 3, "one chunk per file at this size")
        let text = String(decoding: try GeneratedCSV.read(f.merchantsPath), as: UTF8.self)
        XCTAssertFalse(text.contains("9"))
        let plain = try g.write(to: try generatedFolder(), encoding: .utf8, headers: .chinese)
        XCTAssertEqual(f.merchantBytes, plain.merchantBytes)
    }

    func testBOMAndCRLFOptions() throws {
        let g = ExportGenerator(seed: 1, merchantCount: 20, platformID: "demo", today: today)
        let f = try g.write(to: try generatedFolder(), encoding: .utf8, headers: .chinese,
                            lineEnding: .crlf, byteOrderMark: true)
        let bytes = try GeneratedCSV.read(f.merchantsPath)
        XCTAssertEqual(Array(bytes.prefix(3)), [0xEF, 0xBB, 0xBF])
        XCTAssertEqual(Array(bytes.suffix(2)), [0x0D, 0x0A])
        XCTAssertEqual(GeneratedCSV.parse(bytes).count, 21)
    }

    func testOnlyFinishedFilesRemainAndBadPlatformIDIsRejected() throws {
        let dir = try generatedFolder()
        _ = try generate(count: 50, into: dir)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(),
                       ["licences-demo-20260701.csv", "merchants-demo-20260701.csv", "registry-demo-20260701.csv"])
        let bad = ExportGenerator(seed: 1, merchantCount: 5, platformID: "../x", today: today)
        XCTAssertThrowsError(try bad.write(to: dir, encoding: .utf8, headers: .chinese)) {
            XCTAssertEqual($0 as? GeneratorError, .invalidPlatformID("../x"))
        }
        XCTAssertThrowsError(try generate(count: 5, into: dir + "/missing")) {
            guard case .cannotCreate = $0 as? GeneratorError else { return XCTFail("\($0)") }
        }
    }

    func testPRNGIsStableAcrossReleases() {
        // SplitMix64 reference values for state 0 (Vigna's splitmix64.c).
        var rng = SplitMix64(state: 0)
        XCTAssertEqual(rng.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(rng.next(), 0x6E78_9E6A_A1B9_65F4)
    }

    // MARK: helpers

    private func firstLine(_ path: String) throws -> String {
        String(decoding: try GeneratedCSV.read(path), as: UTF8.self).split(separator: "\n", maxSplits: 1)[0].description
    }

    private func lines(_ path: String) throws -> [Substring] {
        String(decoding: try GeneratedCSV.read(path), as: UTF8.self).split(separator: "\n")
    }

    private func date(_ text: String) -> CivilDate? {
        let p = text.split(separator: "-").compactMap { Int($0) }
        return p.count == 3 ? CivilDate(year: p[0], month: p[1], day: p[2]) : nil
    }

    /// The registry row of a merchant: by its USCC, or (wrong check character) by the other 17.
    private func registryRow(for m: [String: String], _ registry: [String: [String: String]]) -> [String: String]? {
        let code = m["统一社会信用代码"]!
        if let r = registry[code] { return r }
        let body = code.prefix(17)
        return registry.first { $0.key.hasPrefix(body) }?.value
    }
}
