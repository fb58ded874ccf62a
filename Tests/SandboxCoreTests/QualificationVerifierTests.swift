import XCTest
@testable import SandboxCore

final class QualificationVerifierTests: XCTestCase {
    static func d(_ y: Int, _ m: Int, _ day: Int) -> CivilDate { CivilDate(year: y, month: m, day: day)! }
    let today = d(2026, 7, 10)
    let verifier = QualificationVerifier(policy: .standard)
    static let name = "成都某某食品有限公司", address = "成都市锦江区红星路1号", code = "91350100M000100Y43"

    let clean = MerchantRecord(platformMerchantID: "M001", shopName: "某某旗舰店", entityType: .enterprise,
        uscc: code, registeredName: name, legalRepresentative: "张三", registeredAddress: address,
        displayedName: name, displayedUSCC: code, displayedAddress: address, licenceDisplayed: true,
        categories: [.food], smallScaleDeclared: false, annualTurnoverFen: 50_000_000, verifiedAt: d(2026, 3, 1),
        openedAt: d(2020, 1, 1), status: .active, complaints90d: 0, regionCode: "510104")
    let licence = LicenceRecord(platformMerchantID: "M001", licenceType: .foodBusiness, licenceNo: "JY15101040012345",
                                holderName: "成都某某食品有限公司", validFrom: d(2022, 1, 1), validTo: d(2027, 1, 1))
    let registry = RegistryRecord(uscc: code, name: name, legalRepresentative: "张三", address: address,
        registrationStatus: .subsisting, changedAt: d(2024, 5, 1), abnormalList: false, seriousViolationList: false,
        lastAnnualReportYear: 2025)

    func codes(_ m: MerchantRecord? = nil, licences: [LicenceRecord]? = nil, registry g: RegistryRecord?? = nil,
               today t: CivilDate? = nil) -> [String] {
        findings(m, licences: licences, registry: g, today: t).map(\.code)
    }

    func findings(_ m: MerchantRecord? = nil, licences: [LicenceRecord]? = nil, registry g: RegistryRecord?? = nil,
                  today t: CivilDate? = nil) -> [Finding] {
        verifier.verify(merchant: m ?? clean, licences: licences ?? [licence], registry: g ?? registry, today: t ?? today)
    }

    func one(_ code: String, _ m: MerchantRecord? = nil, licences: [LicenceRecord]? = nil,
             registry g: RegistryRecord?? = nil, today t: CivilDate? = nil,
             file: StaticString = #filePath, line: UInt = #line) -> Finding? {
        let all = findings(m, licences: licences, registry: g, today: t)
        XCTAssertEqual(all.map(\.code), [code], file: file, line: line)
        return all.first { $0.code == code }
    }

    // MARK: clean

    func testCleanMerchantHasNoFinding() {
        XCTAssertEqual(codes(), [])
        XCTAssertEqual(codes(registry: .some(nil)), [])
        var general = clean
        general.categories = [.general]
        XCTAssertEqual(codes(general, licences: []), [])
        var person = clean
        person.entityType = .naturalPerson; person.smallScaleDeclared = true; person.uscc = nil
        person.displayedUSCC = nil; person.categories = [.general]; person.licenceDisplayed = true
        person.annualTurnoverFen = 10_000_000
        XCTAssertEqual(codes(person, licences: [], registry: .some(nil)), [])
    }

    func testAllCodesAreListedAndUnique() {
        XCTAssertEqual(Set(FindingCode.all).count, FindingCode.all.count)
        XCTAssertEqual(FindingCode.all.count, 29)
        XCTAssertLessThanOrEqual(FindingCode.all.count, 32)   // the policy's finding masks are UInt32
    }

    // MARK: identity

    func testUSCCMissing() {
        var m = clean
        m.uscc = nil; m.displayedUSCC = nil
        let f = one(FindingCode.usccMissing, m)
        XCTAssertEqual(f?.severity, .general)
        XCTAssertEqual(f?.message, "未提供统一社会信用代码：主体类型为企业且未作小额零星声明，应登记并公示营业执照信息")
        m.entityType = .naturalPerson; m.smallScaleDeclared = false; m.categories = [.general]
        XCTAssertEqual(codes(m, licences: []), [FindingCode.usccMissing])
    }

    func testUSCCFormat() {
        var m = clean
        m.uscc = "91350100M000100Y4Z"; m.displayedUSCC = m.uscc
        let f = one(FindingCode.usccFormat, m, registry: .some(nil))
        XCTAssertEqual(f?.message, "统一社会信用代码91350100M000100Y4Z第18位字符Z不在代码字符集内（不使用I、O、S、V、Z）")
        XCTAssertEqual(f?.basis, "《电子商务法》第十五条、第二十七条；GB 32100-2015")
    }

    func testUSCCOrganizationCheck() {
        var m = clean
        m.uscc = USCC.withCheckCharacter("91350100M000100Y5"); m.displayedUSCC = m.uscc
        let f = one(FindingCode.usccOrganizationCheck, m, registry: .some(nil))
        XCTAssertEqual(f?.evidence, [Evidence(field: "uscc", expected: "4", found: "5")])
    }

    func testUSCCCheckCharacter() {
        var m = clean
        m.uscc = "91350100M000100Y41"; m.displayedUSCC = m.uscc
        let f = one(FindingCode.usccCheckCharacter, m, registry: .some(nil))
        XCTAssertEqual(f?.message, "统一社会信用代码91350100M000100Y41校验位应为3，实为1")
        XCTAssertEqual(f?.severity, .general)
    }

    func testLegacyRegistrationNumber() {
        var m = clean
        m.uscc = "510104600123456"; m.displayedUSCC = m.uscc
        XCTAssertEqual(one(FindingCode.usccLegacyRegistrationNumber, m, registry: .some(nil))?.severity, .minor)
    }

    // MARK: display

    func testDisplayedUSCCMismatch() {
        var m = clean
        m.displayedUSCC = "914403001922038216"
        let f = one(FindingCode.displayedUSCCMismatch, m, registry: .some(nil))
        XCTAssertEqual(f?.message, "店铺公示的统一社会信用代码914403001922038216与登记的91350100M000100Y43不一致")
        m.displayedUSCC = " 91350100m000100y43"  // case and spaces are not a mismatch
        XCTAssertEqual(codes(m), [])
    }

    func testDisplayedNameMismatch() {
        var m = clean
        m.displayedName = "某某食品"
        XCTAssertEqual(one(FindingCode.displayedNameMismatch, m, registry: .some(nil))?.evidence,
                       [Evidence(field: "displayed_name", expected: Self.name, found: "某某食品")])
        m.displayedName = "成都某某食品有限公司　"
        XCTAssertEqual(codes(m), [])
    }

    func testDisplayMismatchAgainstAnOldRegistryChangeIsAlsoRL01() {
        var m = clean
        m.displayedUSCC = "914403001922038216"
        XCTAssertEqual(codes(m), [FindingCode.displayedUSCCMismatch, FindingCode.registryChangeNotDisplayed])
    }

    func testDisplayedAddressMismatch() {
        var m = clean
        m.displayedAddress = "成都市青白江区"
        XCTAssertEqual(one(FindingCode.displayedAddressMismatch, m, registry: .some(nil))?.severity, .minor)
        m.status = .closed
        XCTAssertEqual(codes(m), [])
    }

    func testLicenceNotDisplayed() {
        var m = clean
        m.licenceDisplayed = false
        XCTAssertEqual(one(FindingCode.licenceNotDisplayed, m)?.message, "店铺“某某旗舰店”首页未公示营业执照信息（是否亮照：否）")
        m.licenceDisplayed = nil
        XCTAssertEqual(codes(m), [])
    }

    // MARK: licences

    func testLicenceMissing() {
        let f = one(FindingCode.licenceMissing, licences: [])
        XCTAssertEqual(f?.severity, .serious)
        XCTAssertEqual(f?.message, "经营类目“食品”须取得食品经营许可证，平台未报送")
        var drug = clean
        drug.categories = [.drug]
        XCTAssertEqual(codes(drug), [FindingCode.licenceMissing])
        for (cat, type) in [(MerchantCategory.drug, LicenceType.drugBusiness), (.medicalDevice, .medicalDevice),
                            (.publication, .publication)] {
            var m = clean
            m.categories = [cat]
            var l = licence
            l.licenceType = type; l.licenceNo = "X-1"
            XCTAssertEqual(codes(m, licences: [l]), [], "\(cat)")  // no public shape → no number check
        }
    }

    func testLicenceExpired() {
        var l = licence
        l.validTo = Self.d(2026, 7, 9)
        let f = one(FindingCode.licenceExpired, licences: [l])
        XCTAssertEqual(f?.message, "食品经营许可证已过期：JY15101040012345: 2026-07-09")
        l.validTo = today  // valid through its last day
        XCTAssertEqual(codes(licences: [l]), [FindingCode.licenceExpiringSoon])
        // A renewed licence covers the expired one.
        var old = licence
        old.validTo = Self.d(2022, 1, 1)
        XCTAssertEqual(codes(licences: [old, licence]), [])
    }

    func testLicenceNotYetValid() {
        var l = licence
        l.validFrom = Self.d(2026, 8, 1)
        XCTAssertEqual(one(FindingCode.licenceNotYetValid, licences: [l])?.evidence,
                       [Evidence(field: "valid_from", expected: "已生效", found: "JY15101040012345: 2026-08-01")])
    }

    func testLicenceHolderMismatch() {
        var l = licence
        l.holderName = "成都另一家有限公司"
        XCTAssertEqual(one(FindingCode.licenceHolderMismatch, licences: [l])?.message,
                       "食品经营许可证持证主体与经营者名称“成都某某食品有限公司”不一致：JY15101040012345: 成都另一家有限公司")
        l.holderName = "成都某某食品有限公司 "
        XCTAssertEqual(codes(licences: [l]), [])
    }

    func testLicenceExpiringSoon() {
        var l = licence
        l.validTo = Self.d(2026, 8, 9)  // today + 30
        let f = one(FindingCode.licenceExpiringSoon, licences: [l])
        XCTAssertEqual(f?.severity, .minor)
        XCTAssertEqual(f?.message, "许可证将于30日内到期，请及时办理延续：JY15101040012345: 2026-08-09")
        l.validTo = Self.d(2026, 8, 10)
        XCTAssertEqual(codes(licences: [l]), [])
    }

    func testLicenceNumberFormat() {
        var l = licence
        l.licenceNo = "JY1510104001234"  // 13 digits
        let f = one(FindingCode.licenceNumberFormat, licences: [l])
        XCTAssertEqual(f?.evidence, [Evidence(field: "licence_no", expected: "JY+14位数字", found: "JY1510104001234")])
        XCTAssertFalse(LicenceNumber.isFoodBusiness("SC15101040012345"))
        XCTAssertFalse(LicenceNumber.isFoodBusiness("JY1510104001234A"))
        XCTAssertTrue(LicenceNumber.isFoodBusiness("JY15101040012345"))
    }

    // MARK: small scale

    func testSmallScaleTurnoverOverLimit() {
        var m = clean
        m.categories = [.general]; m.smallScaleDeclared = true; m.annualTurnoverFen = 10_000_001
        let f = one(FindingCode.smallScaleTurnoverOverLimit, m, licences: [])
        XCTAssertEqual(f?.message, "已作小额零星声明，但年交易额100000.01元超过100000元，应办理市场主体登记")
        m.annualTurnoverFen = 10_000_000
        XCTAssertEqual(codes(m, licences: []), [])
    }

    /// 网络交易监督管理办法 art. 8: the limit holds over all the person's shops; the regulator's
    /// sum decides when there is one, whatever this shop's own turnover.
    func testSmallScaleLimitJudgedOnTheRegulatorsSumAcrossPlatforms() {
        var m = clean
        m.categories = [.general]; m.smallScaleDeclared = true; m.annualTurnoverFen = 6_000_000
        let verifier = QualificationVerifier()
        func verified(_ sum: SummedTurnover?) -> [Finding] {
            verifier.verify(merchant: m, licences: [], registry: registry, today: today, summedTurnover: sum)
        }
        XCTAssertEqual(verified(nil).map(\.code), [], "60,000 alone is within the limit")
        let over = verified(SummedTurnover(totalFen: 11_000_000, shops: 2))
        XCTAssertEqual(over.map(\.code), [FindingCode.smallScaleTurnoverOverLimit])
        XCTAssertEqual(over.first?.message,
                       "已作小额零星声明，但其在各平台的2家店铺年交易额合计110000元超过100000元（监管部门跨平台汇总），应办理市场主体登记")
        XCTAssertEqual(over.first?.evidence.first?.found, "110000（2家店铺）")
        XCTAssertTrue(over.first?.basis.contains("《网络交易监督管理办法》第八条") == true)
        XCTAssertEqual(verified(SummedTurnover(totalFen: 10_000_000, shops: 2)).map(\.code), [], "at the limit is within it")
        m.smallScaleDeclared = false
        XCTAssertFalse(verified(SummedTurnover(totalFen: 11_000_000, shops: 2)).map(\.code).contains(FindingCode.smallScaleTurnoverOverLimit),
                       "no exemption declared: no exemption to exceed")
    }

    func testSmallScaleLicensedCategory() {
        var m = clean
        m.smallScaleDeclared = true; m.annualTurnoverFen = 5_000_000
        XCTAssertEqual(one(FindingCode.smallScaleLicensedCategory, m)?.message,
                       "已作小额零星声明，但经营类目“食品”须取得食品经营许可证，不适用小额零星豁免")
    }

    // MARK: platform verification

    func testPlatformVerificationMissing() {
        var m = clean
        m.verifiedAt = nil
        XCTAssertEqual(one(FindingCode.platformVerificationMissing, m)?.severity, .minor)
    }

    func testPlatformVerificationOverdue() {
        var m = clean
        m.verifiedAt = Self.d(2026, 1, 9)
        XCTAssertEqual(one(FindingCode.platformVerificationOverdue, m)?.message,
                       "平台最近核验日期为2026-01-09，超过6个月（应于2026-07-09前复核）")
        m.verifiedAt = Self.d(2026, 1, 10)
        XCTAssertEqual(codes(m), [])
    }

    // MARK: registry

    func testRegistryEndedWhileActive() {
        var g = registry
        g.registrationStatus = .revoked
        let f = one(FindingCode.registryEndedWhileActive, registry: g)
        XCTAssertEqual(f?.severity, .serious)
        XCTAssertEqual(f?.message, "登记状态为吊销，店铺“某某旗舰店”仍在营业")
        g.registrationStatus = .cancelled
        XCTAssertEqual(codes(registry: g), [FindingCode.registryEndedWhileActive])
        var closed = clean
        closed.status = .suspended
        XCTAssertEqual(codes(closed, registry: g), [])
    }

    func testRegisteredNameMismatch() {
        var g = registry
        g.name = "成都某某食品股份有限公司"
        g.changedAt = today  // within grace: only the platform's file is stale
        XCTAssertEqual(Set(codes(registry: g)), [FindingCode.registeredNameMismatch, FindingCode.licenceHolderMismatch])
        var l = licence
        l.holderName = nil
        XCTAssertEqual(one(FindingCode.registeredNameMismatch, licences: [l], registry: g)?.evidence,
                       [Evidence(field: "registered_name", expected: "成都某某食品股份有限公司", found: Self.name)])
    }

    func testRegisteredAddressMismatch() {
        var g = registry
        g.address = "成都市蒲江县1号"; g.changedAt = today
        XCTAssertEqual(one(FindingCode.registeredAddressMismatch, registry: g)?.severity, .minor)
    }

    func testLegalRepresentativeMismatch() {
        var g = registry
        g.legalRepresentative = "李四"; g.changedAt = today
        XCTAssertEqual(one(FindingCode.legalRepresentativeMismatch, registry: g)?.message,
                       "平台核验的法定代表人“张三”与登记的“李四”不一致")
    }

    func testRegistryChangeNotDisplayed() {
        // The platform already updated its file, the storefront still shows the old name.
        var g = registry
        g.name = "成都新名食品有限公司"; g.changedAt = Self.d(2026, 6, 24)  // +15 = 07-09 < today
        var m = clean
        m.registeredName = g.name
        var l = licence
        l.holderName = g.name
        let f = findings(m, licences: [l], registry: g)
        XCTAssertEqual(f.map(\.code), [FindingCode.displayedNameMismatch, FindingCode.registryChangeNotDisplayed])
        let rl01 = f[1]
        XCTAssertEqual(rl01.severity, .general)
        XCTAssertEqual(rl01.basis, "《市场主体登记管理条例实施细则》第六十四条")
        XCTAssertEqual(rl01.message, "2026-06-24办理变更登记，应于2026-07-09前更新公示信息，至今未更新："
            + "公示名称为“成都某某食品有限公司”，登记为“成都新名食品有限公司”")
        XCTAssertEqual(rl01.evidence, [Evidence(field: "changed_at", expected: nil, found: "2026-06-24"),
                                       Evidence(field: "displayed_name", expected: g.name, found: Self.name)])
        // On the last day of grace: not yet.
        g.changedAt = Self.d(2026, 6, 25)
        XCTAssertEqual(findings(m, licences: [l], registry: g).map(\.code), [FindingCode.displayedNameMismatch])
    }

    func testAbnormalList() {
        var g = registry
        g.abnormalList = true
        XCTAssertEqual(one(FindingCode.abnormalList, registry: g)?.message,
                       "成都某某食品有限公司（91350100M000100Y43）被列入经营异常名录")
    }

    func testSeriousViolationList() {
        var g = registry
        g.seriousViolationList = true
        XCTAssertEqual(one(FindingCode.seriousViolationList, registry: g)?.severity, .serious)
    }

    func testAnnualReportMissing() {
        var g = registry
        g.lastAnnualReportYear = 2024
        XCTAssertEqual(one(FindingCode.annualReportMissing, registry: g)?.message,
                       "成都某某食品有限公司未报送2025年度年报（最近年报年度2024，报送截止2026-06-30）")
        XCTAssertEqual(codes(registry: g, today: Self.d(2026, 6, 30)), [])
        g.lastAnnualReportYear = nil
        XCTAssertEqual(codes(registry: g), [])
    }

    // MARK: issue 13

    func testLicenceScopeByCategory() {
        func codesFor(_ categories: [MerchantCategory], _ types: [LicenceType]) -> [String] {
            var m = clean
            m.categories = categories
            let ls = types.map { t -> LicenceRecord in var l = licence; l.licenceType = t; l.licenceNo = "X-\(t.rawValue)"; return l }
            return codes(m, licences: ls).filter { $0 != FindingCode.licenceNumberFormat }
        }
        XCTAssertEqual(codesFor([.edibleFarmProduce], []), [], "食用农产品: no licence (食品安全法 art. 35)")
        XCTAssertEqual(codesFor([.medicalDeviceI], []), [], "class I devices: nothing")
        XCTAssertEqual(codesFor([.prepackagedFood], [.prepackagedFoodFiling]), [], "仅销售预包装食品: a 备案")
        XCTAssertEqual(codesFor([.prepackagedFood], [.foodBusiness]), [])
        XCTAssertEqual(codesFor([.medicalDeviceII], [.medicalDeviceFiling]), [])
        XCTAssertEqual(codesFor([.prepackagedFood], []), [FindingCode.licenceMissing])
        XCTAssertEqual(codesFor([.medicalDevice], [.medicalDeviceFiling]), [FindingCode.licenceMissing], "class III: licence")
        XCTAssertEqual(codesFor([.food, .edibleFarmProduce], [.foodBusiness]), [])
        var m = clean
        m.categories = [.food, .drug, .prepackagedFood]
        let f = one(FindingCode.licenceMissing, m)
        XCTAssertEqual(f?.message, "经营类目“药品”须取得药品经营许可证，平台未报送")
        XCTAssertEqual(f?.evidence, [Evidence(field: "licence_type", expected: "drug_business", found: nil),
                                     Evidence(field: "category", expected: nil, found: "drug")])
        m.categories = [.prepackagedFood]
        XCTAssertEqual(one(FindingCode.licenceMissing, m, licences: [])?.message,
                       "经营类目“仅销售预包装食品”须取得仅销售预包装食品备案或食品经营许可证，平台未报送")
    }

    func testMiskeyedCheckCharacterIsThePlatformsError() {
        var m = clean
        m.uscc = "91350100M000100Y41"            // the registry holds …Y43
        let f = one(FindingCode.usccMiskeyed, m)
        XCTAssertEqual(f?.severity, .minor)
        XCTAssertEqual(f?.evidence, [Evidence(field: "uscc", expected: Self.code, found: "91350100M000100Y41")])
        XCTAssertEqual(f?.basis, "《电子商务法》第二十七条")
        m.displayedUSCC = "91350100M000100Y41"    // the storefront shows the platform's wrong code: still the platform's
        XCTAssertEqual(codes(m), [FindingCode.usccMiskeyed])
        m.displayedUSCC = "914403001922038216"    // a third code: the merchant's display
        XCTAssertEqual(codes(m), [FindingCode.displayedUSCCMismatch, FindingCode.registryChangeNotDisplayed,
                                  FindingCode.usccMiskeyed])
        XCTAssertEqual(USCC.registryKeys("91350100M000100Y41"), ["91350100M000100Y41", Self.code])
        XCTAssertEqual(USCC.registryKeys(Self.code), [Self.code])
        XCTAssertEqual(USCC.registryKeys("91350100M000100Z43"), ["91350100M000100Z43"], "only a wrong check character")
    }

    func testExemptMerchantDisplaysItsSelfDeclaration() {
        var person = clean
        person.entityType = .naturalPerson; person.smallScaleDeclared = true; person.uscc = nil
        person.displayedUSCC = nil; person.categories = [.edibleFarmProduce]; person.licenceDisplayed = false
        person.annualTurnoverFen = 3_000_000
        let f = one(FindingCode.exemptionDeclarationNotDisplayed, person, licences: [], registry: .some(nil))
        XCTAssertEqual(f?.basis, "《电子商务法》第十五条；《网络交易监督管理办法》第十二条")
        XCTAssertTrue(f?.message.contains("自我声明及实际经营地址、联系方式") == true)
        person.status = .closed
        XCTAssertEqual(codes(person, licences: [], registry: .some(nil)), [], "a closed storefront shows nothing")
    }

    func testIndividualBusinessAnnualReportAndAbnormalStatus() {
        var m = clean
        m.entityType = .individualBusiness
        var g = registry
        g.lastAnnualReportYear = 2024
        let f = one(FindingCode.annualReportMissing, m, registry: g)
        XCTAssertEqual(f?.basis, "《市场主体登记管理条例实施细则》第六十三条；《个体工商户年度报告暂行办法》")
        XCTAssertTrue(f?.message.hasSuffix("个体工商户可纸质报送，可自主选择是否公示，逾期将被标记为经营异常状态") == true)
        g.lastAnnualReportYear = 2025; g.abnormalList = true
        XCTAssertEqual(one(FindingCode.abnormalList, m, registry: g)?.message,
                       "成都某某食品有限公司（91350100M000100Y43）被标记为经营异常状态")
    }

    func testFindingsSortedByCode() {
        var m = clean
        m.verifiedAt = nil; m.licenceDisplayed = false; m.displayedAddress = "x"
        let c = codes(m, licences: [], registry: .some(nil))
        XCTAssertEqual(c, c.sorted())
        XCTAssertEqual(c.count, 4)
    }
}

/// A finding must read the same every day its facts stay the same: the daily calendar
/// re-verification reports "changed" findings, and a date-of-today in the text would make every
/// time-based finding change every day.
final class FindingStabilityTests: XCTestCase {
    func testTimeBasedFindingsDoNotChangeFromOneDayToTheNext() {
        let verifier = QualificationVerifier(policy: .standard)
        let m = MerchantRecord(platformMerchantID: "m-1", shopName: "店", entityType: .enterprise,
                               uscc: "91350100M000100Y43", registeredName: "甲公司", displayedName: "甲公司",
                               licenceDisplayed: true, categories: [.food], verifiedAt: CivilDate(year: 2026, month: 1, day: 5))
        let expired = LicenceRecord(platformMerchantID: "m-1", licenceType: .foodBusiness, licenceNo: "JY15101040012345",
                                    holderName: "甲公司", validFrom: CivilDate(year: 2021, month: 1, day: 1),
                                    validTo: CivilDate(year: 2026, month: 8, day: 1))
        let day1 = CivilDate(year: 2026, month: 9, day: 1)!
        let first = verifier.verify(merchant: m, licences: [expired], registry: nil, today: day1)
        XCTAssertEqual(Set(first.map(\.code)), ["LICENCE_EXPIRED", "PLATFORM_VERIFICATION_OVERDUE"])
        for later in [day1.adding(days: 1), day1.adding(days: 30)] {
            XCTAssertEqual(verifier.verify(merchant: m, licences: [expired], registry: nil, today: later), first,
                           "findings changed between \(day1) and \(later) without any fact changing")
        }
        // A licence expiring within the window: the same on every day of the window.
        let expiring = LicenceRecord(platformMerchantID: "m-1", licenceType: .foodBusiness, licenceNo: "JY15101040012345",
                                     holderName: "甲公司", validFrom: CivilDate(year: 2021, month: 1, day: 1),
                                     validTo: CivilDate(year: 2026, month: 9, day: 20))
        let soon1 = verifier.verify(merchant: m, licences: [expiring], registry: nil, today: day1)
        XCTAssertTrue(soon1.contains { $0.code == "LICENCE_EXPIRING_SOON" }, "\(soon1.map(\.code))")
        XCTAssertEqual(verifier.verify(merchant: m, licences: [expiring], registry: nil, today: day1.adding(days: 5)), soon1)
    }
}
