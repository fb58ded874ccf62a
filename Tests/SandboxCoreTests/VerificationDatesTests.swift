import TestSupport
import XCTest
@testable import SandboxCore

/// `QualificationVerifier.nextDateChange`: the findings of random records are the same on every
/// day from today up to the day it gives (or for 400 days when it gives none). A day it misses,
/// for a comparison with today it does not list, fails here.
final class VerificationDatesTests: XCTestCase {
    typealias T = QualificationVerifierTests
    static let clean = MerchantRecord(platformMerchantID: "M001", shopName: "某某旗舰店", entityType: .enterprise,
        uscc: T.code, registeredName: T.name, legalRepresentative: "张三", registeredAddress: T.address,
        displayedName: T.name, displayedUSCC: T.code, displayedAddress: T.address, licenceDisplayed: true,
        categories: [.food], smallScaleDeclared: false, annualTurnoverFen: 50_000_000, verifiedAt: T.d(2026, 3, 1),
        openedAt: T.d(2020, 1, 1), status: .active, complaints90d: 0, regionCode: "510104")
    static let licence = LicenceRecord(platformMerchantID: "M001", licenceType: .foodBusiness, licenceNo: "JY15101040012345",
                                       holderName: T.name, validFrom: T.d(2022, 1, 1), validTo: T.d(2027, 1, 1))
    static let registry = RegistryRecord(uscc: T.code, name: T.name, legalRepresentative: "张三", address: T.address,
        registrationStatus: .subsisting, changedAt: T.d(2024, 5, 1), abnormalList: false, seriousViolationList: false,
        lastAnnualReportYear: 2025)

    func testNextDateChangeMissesNoDayOnWhichTheFindingsChange() {
        let verifier = QualificationVerifier(policy: .standard)
        let base = T.d(2026, 1, 1)
        var random = SplitMix(seed: 2026)
        var checkedDays = 0, casesWithADay = 0
        for _ in 0..<500 {
            let today = base.adding(days: Int.random(in: 0..<730, using: &random))
            // A day near today more often than not, where the comparisons turn.
            func day() -> CivilDate { today.adding(days: Int.random(in: -400...400, using: &random)) }
            func maybeDay() -> CivilDate? { Bool.random(using: &random) ? day() : nil }
            var m = Self.clean
            m.verifiedAt = maybeDay()
            let categories: [[MerchantCategory]] = [[.food], [.food, .drug], [.prepackagedFood], [.general]]
            m.categories = categories.randomElement(using: &random)!
            if Int.random(in: 0..<4, using: &random) == 0 { m.displayedName = "另一家公司" }
            let types: [LicenceType] = [.foodBusiness, .drugBusiness, .prepackagedFoodFiling]
            let licences = (0..<Int.random(in: 0...3, using: &random)).map { i in
                LicenceRecord(platformMerchantID: m.platformMerchantID, licenceType: types.randomElement(using: &random)!,
                              licenceNo: "JY1510104001234\(i)",
                              holderName: Int.random(in: 0..<5, using: &random) == 0 ? "别人" : T.name,
                              validFrom: maybeDay(), validTo: maybeDay())
            }
            var registry: RegistryRecord? = Self.registry
            if Int.random(in: 0..<5, using: &random) == 0 { registry = nil }
            registry?.changedAt = maybeDay()
            registry?.lastAnnualReportYear = Bool.random(using: &random) ? Int.random(in: 2023...2028, using: &random) : nil
            if Int.random(in: 0..<3, using: &random) == 0 { registry?.name = "成都某某餐饮有限公司" }

            let findings = verifier.verify(merchant: m, licences: licences, registry: registry, today: today)
            let next = verifier.nextDateChange(merchant: m, licences: licences, registry: registry, today: today)
            if let next { XCTAssertGreaterThan(next, today); casesWithADay += 1 }
            let end = min(next ?? today.adding(days: 400), today.adding(days: 400))
            var d = today.adding(days: 1)
            while d < end {
                XCTAssertEqual(verifier.verify(merchant: m, licences: licences, registry: registry, today: d), findings,
                               "findings changed on \(d), before the next date change \(next.map(\.description) ?? "none") from \(today)")
                checkedDays += 1
                d = d.adding(days: 1)
            }
        }
        // The cases reach days that matter: most have one, and tens of thousands of days are compared.
        XCTAssertGreaterThan(casesWithADay, 400)
        XCTAssertGreaterThan(checkedDays, 10_000)
    }

    func testEachComparisonGivesItsDay() {
        let verifier = QualificationVerifier(policy: .standard)
        let today = T.d(2026, 7, 10)
        var m = Self.clean
        m.verifiedAt = nil
        func next(_ l: [LicenceRecord], _ g: RegistryRecord?) -> CivilDate? {
            verifier.nextDateChange(merchant: m, licences: l, registry: g, today: today)
        }
        XCTAssertNil(next([], nil), "nothing dated: no day")
        var l = Self.licence
        l.validFrom = nil
        l.validTo = T.d(2026, 9, 30)
        XCTAssertEqual(next([l], nil), T.d(2026, 8, 31), "30 days before it ends: expiring soon")
        l.validTo = T.d(2026, 7, 20)
        XCTAssertEqual(next([l], nil), T.d(2026, 7, 21), "the day after it ends: expired")
        l.validTo = nil
        l.validFrom = T.d(2026, 7, 15)
        XCTAssertEqual(next([l], nil), T.d(2026, 7, 15), "the day it starts: in force")
        m.verifiedAt = T.d(2026, 3, 1)
        XCTAssertEqual(next([], nil), T.d(2026, 9, 2), "the day after six months: re-verification overdue")
        m.verifiedAt = nil
        var g = Self.registry
        g.changedAt = T.d(2026, 7, 1)
        XCTAssertEqual(next([], g), T.d(2026, 7, 17), "the day after the 15 days' grace")
        g.changedAt = nil
        XCTAssertEqual(next([], g), T.d(2027, 1, 1), "past 30 June: the new year")
        XCTAssertEqual(verifier.nextDateChange(merchant: m, licences: [], registry: g, today: T.d(2026, 3, 1)),
                       T.d(2026, 7, 1), "before 30 June: the day after it")
    }
}
