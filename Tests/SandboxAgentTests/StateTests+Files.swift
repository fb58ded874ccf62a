import Foundation
import SandboxStorage
import XCTest
@testable import SandboxAgent

/// The state's file on disk (issue 16, session 38): a new state in 32 KiB pages while an older one
/// keeps its own, and a WAL that goes back to its limit after a large transaction instead of
/// keeping its largest size beside the running service.
extension StateTests {
    func testANewStateIsWrittenIn32KiBPagesAndAnOlderOneKeepsItsOwn() throws {
        let state = try AgentState(path: path)
        XCTAssertEqual(try state.database.int64("PRAGMA page_size"), 32_768)

        // A state made before, in 8 KiB pages: migrated, read and written in them.
        let older = directory + "/older.db"
        do {
            let db = try Database(path: older, pageSize: 8_192)
            try db.execute("CREATE TABLE made_before (x)")
        }
        let opened = try AgentState(path: older)
        XCTAssertEqual(try opened.database.int64("PRAGMA page_size"), 8_192)
        try opened.upsert(Self.fullMerchant, hash: 1, now: now)
        XCTAssertEqual(try opened.database.int64("SELECT count(*) FROM merchants"), 1)
    }

    func testTheWALIsCutBackToItsLimitOnceALargeTransactionIsCheckpointed() throws {
        let state = try AgentState(path: path)
        let wal = path + "-wal"
        func walBytes() throws -> Int { try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int ?? 0 }
        try state.database.execute("CREATE TABLE bulk (x BLOB)")
        // About 48 MB in one transaction: its pages spill to the WAL, which the commit checkpoints.
        try state.transaction {
            try state.database.execute("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 48000)
                INSERT INTO bulk SELECT randomblob(1000) FROM n
                """)
        }
        XCTAssertGreaterThan(try walBytes(), AgentState.walSizeLimit, "the transaction went through the WAL")
        // The next write starts the WAL over and cuts the file back; the connection stays open,
        // as the running service's do.
        try state.transaction { try state.database.execute("INSERT INTO bulk VALUES (x'00')") }
        XCTAssertLessThanOrEqual(try walBytes(), AgentState.walSizeLimit)
        XCTAssertEqual(try state.database.int64("SELECT count(*) FROM bulk"), 48_001)
    }
}
