import XCTest
import SandboxCore
@testable import SandboxPolicy

/// Fields are hashed by their case, not by their names (`ConditionField.hash(into:)`), and finding
/// codes' bits and fields' prefixes are looked up, not searched for: the same answers as before.
final class FieldHashingTests: XCTestCase {
    func testEveryFieldIsItsOwnKey() {
        XCTAssertEqual(MemoryLayout<ConditionField>.size, 1)
        XCTAssertEqual(MemoryLayout<ElementField>.size, 1)
        var byField: [ConditionField: String] = [:]
        for f in ConditionField.allCases { byField[f] = f.rawValue }
        XCTAssertEqual(byField.count, ConditionField.allCases.count)
        for f in ConditionField.allCases {
            XCTAssertEqual(byField[f], f.rawValue)
            XCTAssertEqual(f.hashValue, ConditionField(rawValue: f.rawValue)!.hashValue)
            XCTAssertEqual(f.prefix, String(f.rawValue.prefix(while: { $0 != "." })))
        }
        // Distinct cases hash apart (a hash of the case's byte: no two equal among so few).
        XCTAssertEqual(Set(ConditionField.allCases.map(\.hashValue)).count, ConditionField.allCases.count)
        var byElement: [ElementField: String] = [:]
        for f in ElementField.allCases { byElement[f] = f.rawValue }
        XCTAssertEqual(Set(ElementField.allCases.map(\.hashValue)).count, ElementField.allCases.count)
        for f in ElementField.allCases { XCTAssertEqual(byElement[f], f.rawValue) }
    }

    func testAFindingCodesBitIsItsPlaceInTheList() {
        for (i, code) in FindingCode.all.enumerated() where FindingCode.all.firstIndex(of: code) == i {
            XCTAssertEqual(FindingMask.bit(of: code), 1 << UInt32(i), code)
        }
        XCTAssertNil(FindingMask.bit(of: "NO_SUCH_CODE"))
        let found = FindingMask.bit(of: FindingCode.all[2])! | FindingMask.bit(of: FindingCode.all[0])!
        XCTAssertEqual(FindingMask.held([FindingCode.all[2], FindingCode.all[1], FindingCode.all[0]], in: found),
                       [FindingCode.all[2], FindingCode.all[0]])
    }
}
