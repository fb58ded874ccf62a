import XCTest
@testable import SandboxCore

final class RowValidatorTests: XCTestCase {
    let header = ["platform_merchant_id", "shop_name", "entity_type", "uscc", "registered_name",
                  "legal_representative", "registered_address", "displayed_name", "displayed_uscc",
                  "displayed_address", "licence_displayed", "category", "small_scale_declared",
                  "annual_turnover_cny", "verified_at", "opened_at", "status", "complaints_90d", "region_code"]
    let good = ["M001", "锦江小店", "企业", "91350100M000100Y43", "成都某某有限公司", "张三", "成都市锦江区1号",
                "成都某某有限公司", "91350100M000100Y43", "成都市锦江区1号", "是", "食品", "否", "1,234,567.50",
                "2026/6/1", "20200101", "营业中", "3", "510104"]

    func merchant(_ r: Result<ExportRecord, RowRejection>) -> MerchantRecord? {
        if case .success(.merchant(let m)) = r { return m }
        return nil
    }

    func testGoodMerchantRow() throws {
        var v = RowValidator(kind: .merchants, columns: header)
        let m = try XCTUnwrap(merchant(v.validate(RawRow(line: 2, values: good))))
        XCTAssertEqual(m, MerchantRecord(platformMerchantID: "M001", shopName: "锦江小店", entityType: .enterprise,
            uscc: "91350100M000100Y43", registeredName: "成都某某有限公司", legalRepresentative: "张三",
            registeredAddress: "成都市锦江区1号", displayedName: "成都某某有限公司", displayedUSCC: "91350100M000100Y43",
            displayedAddress: "成都市锦江区1号", licenceDisplayed: true, categories: [.food], smallScaleDeclared: false,
            annualTurnoverFen: 123_456_750, verifiedAt: CivilDate(year: 2026, month: 6, day: 1),
            openedAt: CivilDate(year: 2020, month: 1, day: 1), status: .active, complaints90d: 3, regionCode: "510104"))
    }

    func testAllProblemsCollected() {
        var v = RowValidator(kind: .merchants, columns: header)
        var row = good
        row[0] = " "; row[2] = "公司"; row[3] = "9135010"; row[10] = "maybe"; row[13] = "-1"; row[14] = "2026-02-30"
        row[17] = "x"; row[18] = "5101"
        guard case .failure(let rej) = v.validate(RawRow(line: 7, values: row)) else { return XCTFail() }
        XCTAssertEqual(rej.line, 7)
        XCTAssertEqual(rej.problems.map(\.column), ["platform_merchant_id", "entity_type", "uscc", "licence_displayed",
                                                    "annual_turnover_cny", "verified_at", "complaints_90d", "region_code"])
        XCTAssertEqual(rej.problems.map(\.columnNumber), [1, 3, 4, 11, 14, 15, 18, 19])
        XCTAssertEqual(rej.problems[0].reason, "required value missing")
        XCTAssertEqual(rej.problems[1].reason,
                       "expected one of enterprise/企业, individual_business/个体工商户, natural_person/自然人, got '公司'")
        XCTAssertTrue(rej.problems[5].reason.hasSuffix("2026-2 has no day 30"))
    }

    func testSeveralCategoriesAndABadOneNamedWithWhatIsExpected() throws {
        var v = RowValidator(kind: .merchants, columns: header)
        var row = good
        row[11] = "食品；食用农产品; prepackaged_food;"
        let m = try XCTUnwrap(merchant(v.validate(RawRow(line: 2, values: row))))
        XCTAssertEqual(m.categories, [.food, .edibleFarmProduce, .prepackagedFood])
        row[11] = "第二类医疗器械;第一类医疗器械;MEDICAL_DEVICE"
        XCTAssertEqual(merchant(v.validate(RawRow(line: 3, values: row)))?.categories,
                       [.medicalDeviceII, .medicalDeviceI, .medicalDevice])
        row[11] = "食品;水果"
        guard case .failure(let rej) = v.validate(RawRow(line: 9, values: row)) else { return XCTFail() }
        XCTAssertEqual(rej.line, 9)
        XCTAssertEqual(rej.problems.map(\.column), ["category"])
        XCTAssertEqual(rej.problems.map(\.columnNumber), [12])
        XCTAssertTrue(rej.problems[0].reason.hasPrefix("category '水果' is not known; expected one or more of general/一般商品"),
                      rej.problems[0].reason)
        XCTAssertTrue(rej.problems[0].reason.contains("edible_farm_produce/食用农产品"))
        row[11] = "；;"
        guard case .failure(let empty) = v.validate(RawRow(line: 10, values: row)) else { return XCTFail() }
        XCTAssertEqual(empty.problems[0].reason, "expected one or more categories separated by ; or ；, got '；;'")
        // One part without a separator (the fast path) answers as a list of one does.
        row[11] = " 食品 "
        XCTAssertEqual(merchant(v.validate(RawRow(line: 11, values: row)))?.categories, [.food])
        for (text, reason) in [("水果", "category '水果' is not known; expected one or more of general/一般商品"),
                               ("（食品）", "category '（食品）' is not known")] {
            row[11] = text
            guard case .failure(let one) = v.validate(RawRow(line: 12, values: row)) else { return XCTFail(text) }
            XCTAssertTrue(one.problems[0].reason.hasPrefix(reason), one.problems[0].reason)
        }
        XCTAssertEqual(CategoryList.text([.food]), "food")
        XCTAssertEqual(CategoryList.text([.food, .edibleFarmProduce]), "food;edible_farm_produce")
    }

    func testFilingLicenceTypes() throws {
        let cols = ["平台经营者ID", "许可证类型", "许可证编号"]
        var v = RowValidator(kind: .licences, columns: cols)
        for (spelling, type) in [("仅销售预包装食品备案", LicenceType.prepackagedFoodFiling),
                                 ("prepackaged_food_filing", .prepackagedFoodFiling),
                                 ("第二类医疗器械经营备案", .medicalDeviceFiling), ("医疗器械经营备案", .medicalDeviceFiling),
                                 ("医疗器械经营许可证", .medicalDevice)] {
            guard case .success(.licence(let l)) = v.validate(RawRow(line: 2, values: ["M1", spelling, "YB1"])) else {
                XCTFail(spelling); continue
            }
            XCTAssertEqual(l.licenceType, type, spelling)
        }
    }

    func testMoreValuesThanHeader() {
        var v = RowValidator(kind: .merchants, columns: header)
        guard case .failure(let rej) = v.validate(RawRow(line: 3, values: good + ["extra", "more"])) else { return XCTFail() }
        XCTAssertEqual(rej.problems, [FieldProblem(column: "(extra values)", columnNumber: 20,
            reason: "row has 21 values, header has 19: check for an unquoted comma or line break")])
    }

    func testShortRowReadsMissingValuesAsAbsent() throws {
        var v = RowValidator(kind: .merchants, columns: header)
        let m = try XCTUnwrap(merchant(v.validate(RawRow(line: 4, values: Array(good.prefix(12))))))
        XCTAssertEqual(m.categories, [.food])
        XCTAssertNil(m.smallScaleDeclared)
        guard case .failure(let rej) = v.validate(RawRow(line: 5, values: ["M1", "shop"])) else { return XCTFail() }
        XCTAssertEqual(rej.problems.map(\.column), ["entity_type", "category"])
        XCTAssertEqual(rej.problems.map(\.reason), ["required value missing", "required value missing"])
    }

    func testMissingRequiredColumnNamedWithBothNames() {
        var v = RowValidator(kind: .licences, columns: ["平台经营者ID", "许可证编号"])
        guard case .failure(let rej) = v.validate(RawRow(line: 2, values: ["M1", "JY15101040012345"])) else { return XCTFail() }
        XCTAssertEqual(rej.problems, [FieldProblem(column: "licence_type/许可证类型", columnNumber: nil,
                                                   reason: "required value missing")])
    }

    func testBadCheckCharacterAndMissingUSCCAreAccepted() throws {
        var v = RowValidator(kind: .merchants, columns: header)
        var row = good
        row[3] = "91350100M000100Y4Z"
        XCTAssertEqual(merchant(v.validate(RawRow(line: 2, values: row)))?.uscc, "91350100M000100Y4Z")
        row[3] = ""
        XCTAssertNotNil(merchant(v.validate(RawRow(line: 3, values: row))))
        XCTAssertNil(try XCTUnwrap(merchant(v.validate(RawRow(line: 3, values: row)))).uscc)
    }

    func testUpdateColumnsForGrowingJSONLines() throws {
        var v = RowValidator(kind: .events, columns: ["event_id", "platform_merchant_id", "event_type", "occurred_at"])
        guard case .success(.event(let e1)) = v.validate(RawRow(line: 1, values: ["E1", "M1", "投诉", "2026-07-01"])) else {
            return XCTFail()
        }
        XCTAssertNil(e1.severity)
        v.updateColumns(["event_id", "platform_merchant_id", "event_type", "occurred_at", "severity"])
        guard case .success(.event(let e2)) = v.validate(RawRow(line: 2, values: ["E2", "M1", "penalty",
                                                                              "2026-07-01T10:00:00", "严重"])) else {
            return XCTFail()
        }
        XCTAssertEqual(e2, EventRecord(eventID: "E2", platformMerchantID: "M1", eventType: .penalty,
                                       occurredAt: 20_635 * 86_400 - 8 * 3600 + 36_000, severity: .serious))
    }

    func testOtherKinds() throws {
        var l = RowValidator(kind: .licences, columns: ["有效期至", "许可证类型", "平台经营者ID", "许可证编号", "持证主体"])
        guard case .success(.licence(let lic)) = l.validate(RawRow(line: 2, values: ["2027/1/1", "食品经营许可证", "M1",
                                                                                 "JY15101040012345", "某某"])) else { return XCTFail() }
        XCTAssertEqual(lic, LicenceRecord(platformMerchantID: "M1", licenceType: .foodBusiness, licenceNo: "JY15101040012345",
                                          holderName: "某某", validTo: CivilDate(year: 2027, month: 1, day: 1)))
        var r = RowValidator(kind: .receipts, columns: ["receipt_id", "instruction_id", "platform_merchant_id", "action", "at"])
        guard case .success(.receipt(let rec)) = r.validate(RawRow(line: 2, values: ["R1", "I1", "M1", "已整改", "2026-07-01"]))
        else { return XCTFail() }
        XCTAssertEqual(rec.action, .rectified)
        var g = RowValidator(kind: .registry, columns: ["统一社会信用代码", "名称", "登记状态", "列入经营异常名录", "最近年报年度"])
        guard case .success(.registry(let reg)) = g.validate(RawRow(line: 2, values: ["91350100M000100Y43", "某某", "吊销",
                                                                                  "Y", "2024"])) else { return XCTFail() }
        XCTAssertEqual(reg, RegistryRecord(uscc: "91350100M000100Y43", name: "某某", registrationStatus: .revoked,
                                           abnormalList: true, lastAnnualReportYear: 2024))
    }

    func testContentHashIndependentOfColumnOrderAndSpelling() throws {
        var a = RowValidator(kind: .merchants, columns: header)
        let order = Array(header.indices.reversed())
        var b = RowValidator(kind: .merchants, columns: order.map { ExportSchema.merchants[$0].chinese[0] })
        var values = order.map { good[$0] }
        values[order.firstIndex(of: 10)!] = "true"       // 是 → true
        values[order.firstIndex(of: 14)!] = "2026-06-01"  // 2026/6/1
        values[order.firstIndex(of: 13)!] = "1234567.5"
        let ma = try XCTUnwrap(merchant(a.validate(RawRow(line: 2, values: good))))
        let mb = try XCTUnwrap(merchant(b.validate(RawRow(line: 2, values: values))))
        XCTAssertEqual(ma, mb)
        XCTAssertEqual(contentHash(.merchant(ma)), contentHash(.merchant(mb)))
        var changed = ma
        changed.complaints90d = 4
        XCTAssertNotEqual(contentHash(.merchant(ma)), contentHash(.merchant(changed)))
        changed = ma
        changed.displayedName = nil
        XCTAssertNotEqual(contentHash(.merchant(ma)), contentHash(.merchant(changed)))
        // Shifting text between adjacent fields changes the hash.
        var x = ma, y = ma
        x.registeredName = "ab"; x.legalRepresentative = "c"
        y.registeredName = "a"; y.legalRepresentative = "bc"
        XCTAssertNotEqual(contentHash(.merchant(x)), contentHash(.merchant(y)))
    }

    /// 469,000 rows; the budget is measured in release (`swift test -c release`), debug only runs it.
    func testThroughput() {
        var v = RowValidator(kind: .merchants, columns: header)
        let rows = (0..<20_000).map { i -> RawRow in
            var r = good
            r[0] = "M\(i)"
            return RawRow(line: i + 2, values: r)
        }
        var accepted = 0
        var hash: Int64 = 0
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for row in rows {
                if case .success(let rec) = v.validate(row) { accepted += 1; hash ^= contentHash(rec) }
            }
        }
        XCTAssertEqual(accepted, 20_000)
        print("RowValidator: 20,000 merchant rows in \(elapsed) (×23.45 for 469,000)")
    }
}
