import Foundation
@testable import SandboxCore
import SandboxStorage
import XCTest
@testable import SandboxAgent

/// A full audit chunk is compressed on a thread of its own while the writer goes on
/// (`ChunkCompression`, issue 16, session 46): its row must still come in the events' order, be
/// written before its level ends, and go with a rolled-back level — not with the level around it.
extension StateTests {
    /// The chunk rows' event counts in order, and every event's line read back.
    private func auditRows(_ state: AgentState) throws -> (counts: [Int], lines: [[UInt8]]) {
        var counts: [Int] = []
        let s = try state.database.prepare("SELECT count FROM audit_chunks ORDER BY seq")
        while try s.step() { counts.append(s.int(0)) }
        s.reset()
        var lines: [[UInt8]] = []
        try state.auditEvents { lines.append($0) }
        return (counts, lines)
    }

    func testHandedOffAuditChunksAreWrittenInOrderByTheCommit() throws {
        let state = try AgentState(path: path)
        let total = 3 * AgentState.feedQueueChunkSize + 5
        try state.transaction {
            for i in 0..<total { try state.audit(auditEvent(i, merchant: "M\(i % 11)")) }
        }
        let (counts, lines) = try auditRows(state)
        // Chunks end at 4,096 events or 1 MiB of them, here the bytes (3,840 events).
        XCTAssertEqual(counts.count, 4, "three full chunks handed off, the rest at the commit: \(counts)")
        XCTAssertEqual(counts.reduce(0, +), total)
        XCTAssertEqual(lines.count, total)
        XCTAssertTrue(lines == (0..<total).map { auditEvent($0, merchant: "M\($0 % 11)").line }, "every event once, in order")
    }

    /// A pass kept to one thread (`pass_threads = 1`) writes each full chunk at once, compressed on
    /// its own thread; handed off, the first chunk's row waits for the next chunk or the level's end.
    func testChunksAreCompressedHereWhenAskedTo() throws {
        let state = try AgentState(path: path)
        let rows = { try state.database.int64("SELECT count(*) FROM audit_chunks") ?? -1 }
        for apart in [false, true] {
            state.compressesChunksApart = apart
            let before = try rows()
            try state.transaction {
                for i in 0..<(AgentState.feedQueueChunkSize + 1) { try state.audit(auditEvent(i, merchant: "M")) }
                XCTAssertEqual(try rows() - before, apart ? 0 : 1, "inside the transaction, compressed apart: \(apart)")
            }
            XCTAssertEqual(try rows() - before, 2)
        }
    }

    func testARolledBackTransactionLeavesNoHandedOffChunk() throws {
        let state = try AgentState(path: path)
        struct Stop: Error {}
        XCTAssertThrowsError(try state.transaction {
            for i in 0..<(2 * AgentState.feedQueueChunkSize + 1) { try state.audit(auditEvent(i, merchant: "M")) }
            throw Stop()
        })
        try state.transaction { try state.audit(auditEvent(0, merchant: "after")) }
        let (counts, lines) = try auditRows(state)
        XCTAssertEqual(counts, [1], "nothing of the rolled-back transaction, handed off or buffered")
        XCTAssertTrue(lines == [auditEvent(0, merchant: "after").line], "only the later transaction's event")
    }

    func testASavepointsRollbackKeepsTheChunkHandedOffBeforeIt() throws {
        let state = try AgentState(path: path)
        let outer = AgentState.feedQueueChunkSize + 3
        struct Stop: Error {}
        try state.transaction {
            // A full chunk handed off and three events buffered, then a savepoint that fills and
            // hands off a chunk of its own before it fails.
            for i in 0..<outer { try state.audit(auditEvent(i, merchant: "outer")) }
            XCTAssertThrowsError(try state.transaction {
                for i in 0..<(AgentState.feedQueueChunkSize + 1) { try state.audit(auditEvent(i, merchant: "inner")) }
                throw Stop()
            })
            try state.audit(auditEvent(outer, merchant: "outer"))
        }
        let (counts, lines) = try auditRows(state)
        XCTAssertEqual(counts.reduce(0, +), outer + 1)
        XCTAssertEqual(lines.count, outer + 1)
        XCTAssertTrue(lines == (0...outer).map { auditEvent($0, merchant: "outer").line }, "the outer level's events in order, none of the savepoint's")
    }
}
