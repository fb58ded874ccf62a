import XCTest
@testable import SandboxPolicy

/// The windows of one (merchant, prompt) without a set's storage (issue 16, session 32): the same
/// answers as the `Set<String>` it replaced.
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
        keys.insert("Y20\u{1F}24")
        XCTAssertTrue(keys.contains("Y20\u{1F}24"), "any text is a key")
        XCTAssertFalse(keys.contains("Y20"))
        keys = ["Y2025", "Y2026"]
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

    /// The ledger's entry stays at 40 bytes: each of its 131,506 entries after a first pass takes a
    /// dictionary slot of that size (48 with its fields in another order).
    func testALedgerEntryIsPackedIn40Bytes() {
        XCTAssertEqual(MemoryLayout<PromptWindowKeys>.size, 24)
        XCTAssertEqual(MemoryLayout<PromptLedgerState>.stride, 40)
    }
}
