import XCTest
@testable import SandboxPolicy

/// The windows of one (merchant, prompt) in one string (issue 16, session 32): the same answers as
/// the `Set<String>` it replaced.
final class PromptWindowKeysTests: XCTestCase {
    func testItAnswersAsASetOfKeys() {
        var keys: PromptWindowKeys = []
        XCTAssertTrue(keys.isEmpty)
        XCTAssertFalse(keys.contains("Y2026"))
        keys.insert("Y2025")
        keys.insert("Y2026")
        keys.insert("Y2025")
        XCTAssertTrue(keys.contains("Y2025"))
        XCTAssertTrue(keys.contains("Y2026"))
        XCTAssertFalse(keys.contains("Y202"), "a prefix of a key is not a key")
        XCTAssertFalse(keys.contains("Y2025Y2026"))
        XCTAssertFalse(keys.contains(""))
        XCTAssertEqual(keys, ["Y2026", "Y2025"], "equal whatever the order the keys came in")
        XCTAssertNotEqual(keys, ["Y2026"])
        XCTAssertEqual(Set([keys, ["Y2026", "Y2025"]]).count, 1, "hashed as it is compared")
    }

    func testTheLedgerKeepsEveryWindowOfAnEntry() {
        var ledger = PromptLedger()
        ledger.add(merchantID: "m1", promptID: "PR-01", windowKey: "Y2025", issuedDay: 10, episodeOpen: false)
        ledger.add(merchantID: "m1", promptID: "PR-01", windowKey: "Y2026", issuedDay: 375, episodeOpen: false)
        let entry = ledger.entries(promptID: "PR-01")["m1"]
        XCTAssertEqual(entry?.windowKeys, ["Y2025", "Y2026"])
        XCTAssertEqual(entry?.lastIssueDay, 375)
    }
}
