import Foundation
import SandboxCore
import TestSupport
import XCTest
@testable import SandboxAgent

/// The look-ahead's licence rows answer as the licences' index does: every holder's licences in the
/// index's order, none for a merchant without, merchants whose hashes collide, and licences too many
/// or whose row numbers do not fit (looked up through the index past a filter of holders).
final class LicenceRowsTests: XCTestCase {
    var state: AgentState!
    let types: [LicenceType] = [.publication, .foodBusiness, .drugBusiness, .other]

    override func setUpWithError() throws {
        state = try AgentState(path: try temporaryFolder(prefix: "licence-rows", name) + "/state.db")
        // Inserted out of the index's order: numbers and types descending, holders interleaved.
        for copy in (0..<3).reversed() {
            for n in stride(from: 0, to: 200, by: 3) {
                for t in types.prefix(n % 4 + 1).reversed() {
                    try state.upsert(LicenceRecord(platformMerchantID: "M\(n)", licenceType: t, licenceNo: "JY\(copy)\(n)",
                                                   holderName: "公司\(n)"), hash: Int64(n), now: 1)
                }
            }
        }
    }

    /// Holders (every third id) and merchants without a licence.
    let asked = (0..<210).map { "M\($0)" }

    func check(_ rows: inout LicenceRows, held: Bool, _ what: String) throws {
        for id in asked {
            XCTAssertEqual(try rows.licences(of: id, in: state), try state.licences(merchantID: id), "\(what): \(id)")
        }
        XCTAssertEqual(rows.isHeld, held, what)
        XCTAssertEqual(try rows.licences(of: "M3", in: state).count, 12, what)
    }

    func testTheRowsAnswerAsTheIndexDoes() throws {
        var rows = LicenceRows(afterMerchants: 1)
        try check(&rows, held: true, "the id's hash")
        XCTAssertEqual(try rows.licences(of: "M3", in: state).map(\.licenceType),
                       [.drugBusiness, .drugBusiness, .drugBusiness, .foodBusiness, .foodBusiness, .foodBusiness,
                        .other, .other, .other, .publication, .publication, .publication], "by type as text")
        XCTAssertEqual(try rows.licences(of: "M3", in: state).prefix(3).map(\.licenceNo), ["JY03", "JY13", "JY23"])
        XCTAssertEqual(try rows.licences(of: "M1", in: state), [])
    }

    func testMerchantsWhoseHashesCollideAreToldApartByTheirRows() throws {
        var rows = LicenceRows(afterMerchants: 1, hash: { _ in 7 })  // every id the same hash
        try check(&rows, held: true, "one hash for all")
    }

    func testBeforeItsThresholdAndPastRowNumbersOfThirtyTwoBitsTheIndexAnswers() throws {
        var early = LicenceRows(afterMerchants: 10_000)
        try check(&early, held: false, "before the threshold")
        try state.database.execute("UPDATE licences SET rowid = 5000000000 WHERE platform_merchant_id = 'M9' AND licence_no = 'JY19' AND licence_type = 'publication'")
        var wide = LicenceRows(afterMerchants: 1)
        try check(&wide, held: false, "a row past 2^32")
    }

    func testMoreLicencesThanTheRowsMayHoldAreLookedUpThroughTheIndex() throws {
        let count = try state.licenceCount()
        var many = LicenceRows(afterMerchants: 1, mostEntries: count - 1)
        try check(&many, held: false, "\(count) licences, one fewer held at most")
        var enough = LicenceRows(afterMerchants: 1, mostEntries: count)
        try check(&enough, held: true, "\(count) licences, as many held at most")
    }

    func testNoLicencesAtAll() throws {
        try state.database.execute("DELETE FROM licences")
        var rows = LicenceRows(afterMerchants: 1)
        for id in asked { XCTAssertEqual(try rows.licences(of: id, in: state), []) }
    }
}
