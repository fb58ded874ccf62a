import Foundation
import SandboxCore
import TestSupport
import XCTest
@testable import SandboxAgent

/// A first merchants file builds the codes' index after its rows, a first events file the events'
/// index by merchant: the same index, found by the same queries, sorted through a temporary file
/// even in a fresh state, in memory when that file cannot be made, and back as it was when the
/// file's transaction fails; a later file of the kind keeps the index as it goes.
final class FirstLoadIndexTests: XCTestCase {
    var state: AgentState!

    override func setUpWithError() throws {
        // A fresh state: its migrations ran on this connection, as on a platform's first day.
        state = try AgentState(path: try temporaryFolder(prefix: "first-load", name) + "/state.db")
    }

    func indexSQL(_ name: String = "merchants_uscc") throws -> String? {
        let s = try state.database.prepareUncached("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?")
        try s.bind(1, name)
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

    func assertIntegrity(file: StaticString = #filePath, line: UInt = #line) throws {
        let check = try state.database.prepareUncached("PRAGMA integrity_check")
        XCTAssertTrue(try check.step(), file: file, line: line)
        XCTAssertEqual(check.string(0), "ok", file: file, line: line)
    }

    /// A first file's transaction as `ExportProcessor` runs it, with `rows` inserted.
    func firstLoad(_ index: AgentState.FirstLoadIndex = AgentState.merchantsUSCCIndex, _ rows: () throws -> Void) throws {
        try state.sortingOnDisk(true) {
            try state.transaction {
                try state.buildingIndexAfter(index) {
                    XCTAssertNil(try indexSQL(index.name), "no index while the rows go in")
                    XCTAssertEqual(try state.database.int64("PRAGMA temp_store"), 1, "sorts through files")
                    try rows()
                }
            }
        }
        XCTAssertEqual(try state.database.int64("PRAGMA temp_store"), 2, "sorts in memory again after the file")
    }

    func testTheIndexMadeAfterTheRowsIsTheMigrationsIndex() throws {
        XCTAssertEqual(try indexSQL(), AgentState.merchantsUSCCIndex.sql, "the text a fresh state's migration made")
        try firstLoad {
            for n in 0..<500 {
                try state.upsert(merchant(n, uscc: n % 5 == 0 ? nil : "91510104MA\(String(format: "%07d", n % 97))X"),
                                 hash: Int64(n), now: 1)
            }
        }
        XCTAssertEqual(try indexSQL(), AgentState.merchantsUSCCIndex.sql)
        let plan = try queryPlan()
        XCTAssertTrue(plan.contains("merchants_uscc"), plan)
        let expected = (0..<500).filter { $0 % 5 != 0 && $0 % 97 == 7 }.map { "M\($0)" }.sorted()
        XCTAssertEqual(try state.merchantIDs(uscc: "91510104MA0000007X"), expected)
        XCTAssertEqual(try state.database.int64("SELECT count(*) FROM merchants INDEXED BY merchants_uscc WHERE uscc IS NOT NULL"), 400,
                       "natural persons without a code stay out of the index")
        try assertIntegrity()
    }

    /// /proc as SQLite's temporary folder: one it may choose (the root user passes its access
    /// check) in which no file can be made. The sort, larger than its 4 MiB in memory, needs one.
    func testATemporaryFolderThatCannotBeUsedSortsInMemory() throws {
        try state.database.execute("PRAGMA temp_store_directory = '/proc'")
        defer { try? state.database.execute("PRAGMA temp_store_directory = ''") }
        try firstLoad {
            for n in 0..<60_000 {
                try state.upsert(merchant(n, uscc: "91510104MA\(String(format: "%07d", n))\(String(repeating: "X", count: 60))"),
                                 hash: Int64(n), now: 1)
            }
        }
        XCTAssertEqual(try indexSQL(), AgentState.merchantsUSCCIndex.sql)
        XCTAssertEqual(try state.database.int64("SELECT count(*) FROM merchants INDEXED BY merchants_uscc WHERE uscc IS NOT NULL"), 60_000)
    }

    func testAFailedFileLeavesTheIndexAsItWas() throws {
        struct Broken: Error {}
        XCTAssertThrowsError(try firstLoad {
            try state.upsert(merchant(1, uscc: "91510104MA0000001X"), hash: 1, now: 1)
            throw Broken()
        })
        XCTAssertEqual(try indexSQL(), AgentState.merchantsUSCCIndex.sql)
        XCTAssertEqual(try state.database.int64("SELECT count(*) FROM merchants"), 0)
        XCTAssertTrue(try queryPlan().contains("merchants_uscc"))
        XCTAssertEqual(try state.database.int64("PRAGMA temp_store"), 2)
        // The same for a first events file: the drop undone with the rows.
        XCTAssertThrowsError(try firstLoad(AgentState.eventsByMerchantIndex) {
            _ = try state.upsert(event(1, merchant: 1, day: 1), hash: 1, now: 1)
            throw Broken()
        })
        XCTAssertEqual(try indexSQL("events_by_merchant"), AgentState.eventsByMerchantIndex.sql)
        XCTAssertEqual(try state.database.int64("SELECT count(*) FROM events"), 0)
        XCTAssertNotNil(try state.firstLoadIndex(for: .events), "still a first events file next time")
    }

    func event(_ n: Int, merchant: Int, day: Int64) -> EventRecord {
        EventRecord(eventID: "E\(n)", platformMerchantID: "M\(merchant)", eventType: .complaint, occurredAt: day * 86_400)
    }

    func testTheFirstFileOfAKindAndOnlyThatOneBuildsItsIndexAfter() throws {
        XCTAssertEqual(try state.firstLoadIndex(for: .merchants)?.name, "merchants_uscc")
        XCTAssertEqual(try state.firstLoadIndex(for: .events)?.name, "events_by_merchant")
        XCTAssertNil(try state.firstLoadIndex(for: .registry))
        XCTAssertNil(try state.firstLoadIndex(for: .licences))
        _ = try state.upsert(event(1, merchant: 1, day: 1), hash: 1, now: 1)
        XCTAssertNil(try state.firstLoadIndex(for: .events), "a state that holds events keeps the index as it goes")
        try state.upsert(merchant(1, uscc: nil), hash: 1, now: 1)
        XCTAssertNil(try state.firstLoadIndex(for: .merchants))
    }

    func testTheEventsIndexMadeAfterTheRowsIsTheMigrationsIndexAndServesTheMerchantsEvents() throws {
        XCTAssertEqual(try indexSQL("events_by_merchant"), AgentState.eventsByMerchantIndex.sql, "the text a fresh state's migration made")
        // In event order, each merchant's events scattered through the file, as a platform exports them.
        try firstLoad(AgentState.eventsByMerchantIndex) {
            for n in 0..<3_000 {
                _ = try state.upsert(event(n, merchant: n % 37, day: Int64(3_000 - n)), hash: Int64(n), now: 1)
            }
        }
        XCTAssertEqual(try indexSQL("events_by_merchant"), AgentState.eventsByMerchantIndex.sql)
        let expected = (0..<3_000).filter { $0 % 37 == 5 }.reversed().map { "E\($0)" }
        XCTAssertEqual(try state.events(merchantID: "M5").map(\.eventID), Array(expected), "oldest first")
        XCTAssertEqual(try state.database.int64("SELECT count(*) FROM events INDEXED BY events_by_merchant WHERE platform_merchant_id >= ''"),
                       3_000)
        try assertIntegrity()
    }
}
