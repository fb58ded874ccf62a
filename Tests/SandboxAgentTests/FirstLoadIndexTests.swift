import SandboxCore
import TestSupport
import XCTest
@testable import SandboxAgent

/// A first merchants file builds the codes' index after its rows: the same index, found by the
/// same queries, and back as it was when the file's transaction fails.
final class FirstLoadIndexTests: XCTestCase {
    var state: AgentState!

    override func setUpWithError() throws {
        state = try AgentState(path: try temporaryFolder(prefix: "first-load", name) + "/state.db")
    }

    func indexSQL() throws -> String? {
        let s = try state.database.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'merchants_uscc'")
        defer { s.reset() }
        return try s.step() ? s.string(0) : nil
    }

    func queryPlan() throws -> String {
        let s = try state.database.prepare("EXPLAIN QUERY PLAN SELECT platform_merchant_id FROM merchants WHERE uscc = ?")
        defer { s.reset() }
        var plan = ""
        while try s.step() { plan += (s.string(3) ?? "") + "\n" }
        return plan
    }

    func merchant(_ n: Int, uscc: String?) -> MerchantRecord {
        MerchantRecord(platformMerchantID: "M\(n)", shopName: "店\(n)", entityType: uscc == nil ? .naturalPerson : .enterprise,
                       uscc: uscc, categories: [.other])
    }

    func testTheIndexMadeAfterTheRowsIsTheMigrationsIndex() throws {
        XCTAssertEqual(try indexSQL(), AgentState.merchantsUSCCIndexSQL, "the text a fresh state's migration made")
        try state.transaction {
            try state.buildingUSCCIndexAfter {
                XCTAssertNil(try indexSQL(), "no index while the rows go in")
                for n in 0..<500 {
                    try state.upsert(merchant(n, uscc: n % 5 == 0 ? nil : "91510104MA\(String(format: "%07d", n % 97))X"),
                                     hash: Int64(n), now: 1)
                }
            }
        }
        XCTAssertEqual(try indexSQL(), AgentState.merchantsUSCCIndexSQL)
        let plan = try queryPlan()
        XCTAssertTrue(plan.contains("merchants_uscc"), plan)
        let expected = (0..<500).filter { $0 % 5 != 0 && $0 % 97 == 7 }.map { "M\($0)" }.sorted()
        XCTAssertEqual(try state.merchantIDs(uscc: "91510104MA0000007X"), expected)
        XCTAssertEqual(try state.database.int64("SELECT count(*) FROM merchants INDEXED BY merchants_uscc WHERE uscc IS NOT NULL"), 400,
                       "natural persons without a code stay out of the index")
        let check = try state.database.prepare("PRAGMA integrity_check")
        defer { check.reset() }
        XCTAssertTrue(try check.step())
        XCTAssertEqual(check.string(0), "ok")
        XCTAssertEqual(try state.database.int64("PRAGMA temp_store"), 2, "sorts in memory again after the build")
    }

    func testAFailedFileLeavesTheIndexAsItWas() throws {
        struct Broken: Error {}
        XCTAssertThrowsError(try state.transaction {
            try state.buildingUSCCIndexAfter {
                try state.upsert(merchant(1, uscc: "91510104MA0000001X"), hash: 1, now: 1)
                throw Broken()
            }
        })
        XCTAssertEqual(try indexSQL(), AgentState.merchantsUSCCIndexSQL)
        XCTAssertEqual(try state.database.int64("SELECT count(*) FROM merchants"), 0)
        XCTAssertTrue(try queryPlan().contains("merchants_uscc"))
    }
}
