import SandboxCore
import XCTest
@testable import SandboxAgent

/// The look-ahead's items changed in place: a merchant's verification set without copying its
/// record (`setPrepared`), and a record marked the committed one (`markSameAsCommitted`), each
/// keeping everything else the item held.
final class LookaheadItemTests: XCTestCase {
    struct Refused: Error {}

    static let merchant = MerchantRecord(platformMerchantID: "M1", shopName: "锦江老字号食品店", entityType: .individualBusiness,
                                         uscc: "92510104MA6C5L2X1Q", registeredName: "成都市锦江区老字号食品店",
                                         categories: [.food])
    static let prepared = RowLookahead.PreparedVerification(
        change: FindingsChange(opened: [Finding(code: "LICENCE_NOT_DISPLAYED", severity: .minor, message: "未亮照", evidence: [],
                                                basis: "《电子商务法》第十五条")]),
        reportLine: Array("line".utf8), auditLine: nil, reverifyOn: CivilDate(year: 2027, month: 1, day: 2)!)

    func fields(_ item: RowLookahead.Item) -> String {
        switch item {
        case .record(.merchant(let m), let hash, let prepared, let same, let earlier):
            return "\(m.platformMerchantID) \(m.shopName) \(hash) \(prepared?.change.opened.map(\.code) ?? []) "
                + "\(prepared?.reverifyOn.description ?? "-") \(same) \(earlier)"
        case .record(let other, _, _, _, _): return "other \(other)"
        case .rejected(let line): return "rejected \(line)"
        case .failed: return "failed"
        }
    }

    func testAVerificationIsSetInPlaceAndTheRestKept() throws {
        var item = RowLookahead.Item.record(.merchant(Self.merchant), hash: 42, prepared: nil, sameAsCommitted: false,
                                            earlierInFile: true)
        var lent: MerchantRecord?
        item.setPrepared { lent = $0; return Self.prepared }
        XCTAssertEqual(lent, Self.merchant)
        XCTAssertEqual(fields(item), "M1 锦江老字号食品店 42 [\"LICENCE_NOT_DISPLAYED\"] 2027-01-02 false true")
    }

    func testAVerificationThatThrowsLeavesTheItemAsItWas() {
        var item = RowLookahead.Item.record(.merchant(Self.merchant), hash: 42, prepared: nil, sameAsCommitted: false,
                                            earlierInFile: false)
        XCTAssertThrowsError(try item.setPrepared { _ in throw Refused() }) { XCTAssertTrue($0 is Refused) }
        XCTAssertEqual(fields(item), "M1 锦江老字号食品店 42 [] - false false")
    }

    func testOtherItemsAreNotLent() {
        var item = RowLookahead.Item.rejected(reportLine: [1, 2])
        item.setPrepared { _ in
            XCTFail("a rejected row has no merchant to verify")
            return Self.prepared
        }
        XCTAssertEqual(fields(item), "rejected [1, 2]")
    }

    func testMarkedTheCommittedOneKeepsTheRest() {
        var item = RowLookahead.Item.record(.merchant(Self.merchant), hash: 7, prepared: nil, sameAsCommitted: false,
                                            earlierInFile: true)
        item.markSameAsCommitted()
        XCTAssertEqual(fields(item), "M1 锦江老字号食品店 7 [] - true true")
    }
}
