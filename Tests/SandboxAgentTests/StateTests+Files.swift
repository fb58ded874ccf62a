import Foundation
import XCTest
@testable import SandboxAgent

/// The state's file on disk (issue 16, session 38): a WAL that goes back to its limit after a
/// large transaction instead of keeping its largest size beside the running service.
extension StateTests {
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
