import XCTest
import SandboxCore
import SandboxPolicy

/// Issue 13 correction 10: sandbox admission requires Chengdu registration (the seed's 本地企业).
/// The agent's ADM-08 reads `merchant.registered_locally`, which the pass derives from the USCC's
/// registration division and `[roster.regulator] local_divisions` by the regulator's own rule
/// (LocalRegistration), so the agent proposes what the regulator admits.
final class LocalRegistrationScenarioTests: XCTestCase {
    /// 深圳 (440300): a valid code, registered outside Chengdu.
    let shenzhen = "914403001922038216"

    /// One pass at 2026-07-01 that explains every row: the outcome lists the admission criteria
    /// each merchant the agent does not propose fails.
    func explainedPass(_ w: PolicyWorld) -> PolicyOutcome {
        var input = w.input(now: PolicyCalendar.startOf(day: w.today))
        input.explainRows = Set(w.merchants.indices)
        return PolicyPass.run(input)
    }

    func testAnEnterpriseRegisteredInChengduIsAdmitted() throws {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("local")                                       // 915101040000… : 锦江区
        w.pass()
        let admitted = try XCTUnwrap(w.rosterLog.first?.decision)
        XCTAssertEqual(admitted.decision, .admitted)
        let adm08 = try XCTUnwrap(admitted.criteria.first { $0.id == "ADM-08" })
        XCTAssertEqual(adm08.value, true)
        XCTAssertEqual(adm08.text, "在成都市登记注册（本地企业）")
    }

    func testAnEnterpriseRegisteredElsewhereIsNotAdmittedAndSaysWhy() throws {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("sz", uscc: shenzhen)
        let outcome = explainedPass(w)
        XCTAssertTrue(outcome.rosterDecisions.isEmpty, "the agent does not propose it")
        XCTAssertEqual(outcome.states[0]?.member ?? false, false)
        let unmet = try XCTUnwrap(outcome.unmetAdmission[0])
        XCTAssertEqual(unmet.map(\.id), ["ADM-08"], "locality is the only criterion it fails")
        XCTAssertEqual(unmet.first?.value, false)
        XCTAssertEqual(unmet.first?.text, "在成都市登记注册（本地企业）")
        XCTAssertEqual(outcome.states[0]?.riskClass, .a, "its class is not touched: locality is no risk")
        // The regulator's roster decision says the same, in its words, from the same rule.
        let rule = LocalRegistration(divisions: Scenario.pack.roster.localDivisions)
        XCTAssertEqual(rule.reason(uscc: shenzhen), "registered in division 440300, not locally (5101)")
        XCTAssertNil(rule.reason(uscc: "915101040000000001"))
    }

    /// A natural person trading without registration (电子商务法 art. 10) has no USCC: the
    /// regulator keeps no roster entry for one, and the agent never admits one — ADM-02 fails and
    /// ADM-08 is unknown, which is not enough.
    func testANaturalPersonIsNotAdmittedAsTheRegulatorDecides() throws {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("np") { m in
            m.record.entityType = .naturalPerson
            m.record.uscc = nil
            m.record.displayedUSCC = nil
            m.registry = nil
        }
        let outcome = explainedPass(w)
        XCTAssertTrue(outcome.rosterDecisions.isEmpty)
        let unmet = try XCTUnwrap(outcome.unmetAdmission[0])
        XCTAssertEqual(unmet.first { $0.id == "ADM-08" }.map { $0.value == nil }, true, "no USCC: locality unknown")
        XCTAssertTrue(unmet.contains { $0.id == "ADM-02" })
    }

    /// An old 15-digit registration number carries no division in characters 3–8: not local, as
    /// the regulator reads it (USCC.divisionCode asks for 18 characters).
    func testAFifteenDigitRegistrationNumberIsNotLocal() throws {
        let w = PolicyWorld(start: "2026-07-01")
        w.addClean("old", uscc: "510104600123456")
        let outcome = explainedPass(w)
        XCTAssertEqual(outcome.unmetAdmission[0]?.first { $0.id == "ADM-08" }?.value, false)
        XCTAssertNotNil(LocalRegistration(divisions: ["5101"]).reason(uscc: "510104600123456"))
    }
}
