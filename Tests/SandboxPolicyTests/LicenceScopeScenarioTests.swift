import XCTest
import SandboxCore
import SandboxPolicy

/// Issue 13 correction 3 (食品安全法 art. 35; 医疗器械监督管理条例): what a category needs, and a
/// missing licence met by taking the goods down at once, through the verifier and the Chengdu pack.
final class LicenceScopeScenarioTests: XCTestCase {
    func licence(_ id: String, _ type: LicenceType, _ no: String) -> LicenceRecord {
        LicenceRecord(platformMerchantID: id, licenceType: type, licenceNo: no, holderName: "成都\(id)商贸有限公司",
                      validFrom: Scenario.date("2025-01-01"), validTo: nil)
    }

    func seller(_ w: PolicyWorld, _ id: String, _ categories: [MerchantCategory], _ licences: [LicenceType]) {
        w.addVerifiable(id) {
            $0.record.categories = categories
            $0.record.verifiedAt = Scenario.date("2026-06-20")
            // A food licence number has a public shape (JY + 14 digits); the others are not checked.
            $0.licences = licences.enumerated().map {
                licence(id, $0.element, $0.element == .foodBusiness ? "JY1510104000000\($0.offset)" : "NO-\(id)-\($0.offset)")
            }
        }
        w.verify(id)
    }

    func testLawfulSellersRaiseNoRL04() {
        let w = PolicyWorld(start: "2026-07-01")
        seller(w, "farm", [.edibleFarmProduce], [])                                  // 食用农产品: nothing
        seller(w, "pre", [.general, .prepackagedFood], [.prepackagedFoodFiling])      // 预包装食品: 备案
        seller(w, "prefood", [.prepackagedFood], [.foodBusiness])                     // a food licence covers it
        seller(w, "dev1", [.medicalDeviceI], [])                                      // class I: nothing
        seller(w, "dev2", [.medicalDeviceII], [.medicalDeviceFiling])                 // class II: 备案
        seller(w, "mixed", [.food, .edibleFarmProduce], [.foodBusiness])
        for m in w.merchants { XCTAssertEqual(m.findingCodes, [], m.record.platformMerchantID) }
        w.pass()
        w.advance(to: "2026-08-15")
        XCTAssertTrue(w.allCases.isEmpty, "lawful sellers: \(w.allCases.values.map { "\($0.merchantID) \($0.ruleID)" })")
    }

    func testMissingFilingOrLicenceTakesTheGoodsDownAtOnce() throws {
        let w = PolicyWorld(start: "2026-07-01")
        seller(w, "pre", [.general, .prepackagedFood], [])               // no 备案
        seller(w, "dev3", [.medicalDevice], [.medicalDeviceFiling])      // class III: a 备案 is not enough
        seller(w, "drug", [.general, .drug], [.foodBusiness])            // each category judged on its own
        w.pass()
        for id in ["pre", "dev3", "drug"] {
            XCTAssertEqual(w.merchants[w.index(id)].findingCodes, [FindingCode.licenceMissing], id)
            let c = try XCTUnwrap(w.onlyCase(id, "RL-04"), id)
            XCTAssertEqual(w.kinds(case: c.id), [.takedown], "下架 at once, no guidance to get a licence in days")
            XCTAssertNil(c.deadlineDay)
            XCTAssertFalse(c.suspensionInForce, "the goods go down, not the storefront")
            let takedown = try XCTUnwrap(w.instructions(case: c.id).first)
            XCTAssertTrue(takedown.action.contains("立即下架"), takedown.action)
            XCTAssertTrue(takedown.action.contains("方可重新上架"), takedown.action)
            XCTAssertTrue(takedown.basis.contains("《中华人民共和国食品安全法》第三十五条"), takedown.basis)
            XCTAssertEqual(Scenario.text(takedown.receiptDueDay), "2026-07-06")
        }
        w.advance(to: "2026-09-30")
        let pre = try XCTUnwrap(w.onlyCase("pre", "RL-04"))
        XCTAssertEqual(w.kinds(case: pre.id), [.takedown], "no ladder: the goods are already down")
        XCTAssertEqual(w.allCases[pre.id]?.state, .open)

        // The 备案 arrives: the case is rectified, and nothing restricts the merchant any more.
        w.update("pre") { $0.licences = [self.licence("pre", .prepackagedFoodFiling, "YB25101040000011")] }
        w.verify("pre")
        _ = w.next()
        let closed = try XCTUnwrap(w.allCases[pre.id])
        XCTAssertEqual(closed.state, .rectified)
        XCTAssertFalse(w.kinds(case: pre.id).contains(.reinstate), "a takedown is no suspension to lift")
    }
}
