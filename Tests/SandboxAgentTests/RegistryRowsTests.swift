import Foundation
import SandboxCore
import TestSupport
import XCTest
@testable import SandboxAgent

/// The look-ahead's registry rows answer as the registry's index does: every code held, no code
/// that is not, the corrected code of a miskeyed check character, codes whose hashes collide, and
/// a registry too large or whose row numbers do not fit (looked up through the index).
final class RegistryRowsTests: XCTestCase {
    var state: AgentState!
    var codes: [String] = []

    override func setUpWithError() throws {
        state = try AgentState(path: try temporaryFolder(prefix: "registry-rows", name) + "/state.db")
        for n in 0..<300 {
            let code = Self.code(n * 7)
            codes.append(code)
            try state.upsert(RegistryRecord(uscc: code, name: "公司\(n)", legalRepresentative: "法人\(n)"), hash: Int64(n), now: 1)
        }
    }

    /// Codes held, their miskeyed forms (a wrong check character), and codes no entry has.
    var asked: [String] {
        codes + codes.prefix(20).map { String($0.dropLast()) + ($0.last == "0" ? "1" : "0") }
            + (300..<320).map { Self.code($0 * 7) }
    }

    /// A code whose both check characters (the organisation code's and the USCC's) are right.
    static func code(_ n: Int) -> String {
        let body = Array(String(format: "MA%06d", n).utf8)
        return USCC.withCheckCharacter("91510104" + String(decoding: body + [USCC.organizationCheckCharacter(body)!], as: UTF8.self))!
    }

    func check(_ rows: inout RegistryRows, held: Bool, _ what: String) throws {
        for code in asked {
            XCTAssertEqual(try rows.entry(merchantUSCC: code, in: state), try state.registry(merchantUSCC: code), "\(what): \(code)")
        }
        XCTAssertEqual(rows.isHeld, held, what)
    }

    func testTheRowsAnswerAsTheIndexDoes() throws {
        var rows = RegistryRows(afterMerchants: 1)
        try check(&rows, held: true, "the code's hash")
        XCTAssertNotNil(try rows.entry(merchantUSCC: codes[5], in: state))
        XCTAssertNil(try rows.entry(merchantUSCC: asked.last!, in: state))
        XCTAssertEqual(try rows.entry(merchantUSCC: asked[300], in: state)?.uscc, codes[0], "the corrected code's entry")
    }

    func testCodesWhoseHashesCollideAreToldApartByTheirRows() throws {
        var rows = RegistryRows(afterMerchants: 1, hash: { UInt32($0.count) })  // every code the same hash
        try check(&rows, held: true, "one hash for all")
    }

    func testBeforeItsThresholdAndPastRowNumbersOfThirtyTwoBitsTheIndexAnswers() throws {
        var early = RegistryRows(afterMerchants: 10_000)
        try check(&early, held: false, "before the threshold")
        try state.database.execute("UPDATE registry SET rowid = 5000000000 WHERE uscc = '\(codes[3])'")
        var wide = RegistryRows(afterMerchants: 1)
        try check(&wide, held: false, "a row past 2^32")
    }

    func testARegistryLargerThanTheRowsMayHoldIsLookedUpThroughItsIndex() throws {
        var large = RegistryRows(afterMerchants: 1, mostEntries: 299)
        try check(&large, held: false, "300 entries, 299 held at most")
        var enough = RegistryRows(afterMerchants: 1, mostEntries: 300)
        try check(&enough, held: true, "300 entries, 300 held at most")
    }
}
