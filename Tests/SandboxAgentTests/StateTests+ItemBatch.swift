import Foundation
@testable import SandboxCore
import SandboxPolicy
import SandboxStorage
import XCTest
@testable import SandboxAgent

/// Policy items written a batch at a time by one statement (`UpsertBatch`, issue 16, session
/// 37): the table ends as item-by-item writes leave it, a read on the connection sees the items
/// waiting, and a savepoint's rollback takes its own items only.
extension StateTests {
    func itemsTable(_ state: AgentState) throws -> [String] {
        let s = try state.database.prepare("SELECT type, key, uscc, hex(data), pack_version, pack_serial FROM policy_items ORDER BY type, key")
        defer { s.reset() }
        var rows: [String] = []
        while try s.step() {
            rows.append((0..<6).map { s.string(Int32($0)) ?? "null" }.joined(separator: "|"))
        }
        return rows
    }

    func testItemsWrittenInBatchesEndAsItemsWrittenOneByOne() throws {
        // 70 items: two full batches and 6 more; a key stored twice within a batch and across two.
        var writes: [(FeedType, String, String?, [UInt8])] = []
        for i in 0..<66 { writes.append((i % 3 == 0 ? .roster : .riskClass, "M\(1000 + i)", i % 5 == 0 ? nil : "U\(i)", Array("{\"n\":\(i)}".utf8))) }
        writes.insert((.riskClass, "M1004", "U4", Array(#"{"n":"again, same batch"}"#.utf8)), at: 10)
        writes.append((.riskClass, "M1004", "U4", Array(#"{"n":"again, a later batch"}"#.utf8)))
        writes.append((.roster, "M1000", nil, Array(#"{"n":"roster again"}"#.utf8)))
        writes.append((.instruction, "p-guidance-1", "U9", Array(#"{"line":1}"#.utf8)))
        XCTAssertEqual(writes.count, 70)

        let batched = try AgentState(path: path)
        try batched.transaction {
            for (type, key, uscc, data) in writes {
                try batched.storePolicyItem(type: type, key: key, uscc: uscc, data: data, packVersion: "p-1", packSerial: 1, now: now)
            }
        }
        let onePath = path + "-one"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: onePath + suffix) } }
        let single = try AgentState(path: onePath)
        for (type, key, uscc, data) in writes {
            // Outside a transaction each item is written at once.
            try single.storePolicyItem(type: type, key: key, uscc: uscc, data: data, packVersion: "p-1", packSerial: 1, now: now)
        }
        let rows = try itemsTable(batched)
        XCTAssertEqual(rows.count, 67, "70 writes of 67 keys")
        XCTAssertEqual(rows, try itemsTable(single))
        let again = try batched.database.prepare("SELECT data FROM policy_items WHERE type = 'class' AND key = 'M1004'")
        XCTAssertTrue(try again.step())
        XCTAssertEqual(batched.itemCodec.decode(again.blob(0)), Array(#"{"n":"again, a later batch"}"#.utf8))
        again.reset()
    }

    func testAReadInTheTransactionSeesTheItemsWaitingInTheBatch() throws {
        let state = try AgentState(path: path)
        try state.transaction {
            try state.storeMerchantPolicy("M1", MerchantPolicyState(riskClass: .a, points: 0, decisionHash: 1, classSince: 20_000,
                                                                    member: true, memberSince: 20_000),
                                          packSerial: 1, now: now)
            try state.storePolicyItem(type: .roster, key: "M1", uscc: nil, data: Array(#"{"member":true}"#.utf8),
                                      packVersion: "chengdu-2026.1", packSerial: 1, now: now)
            XCTAssertEqual(state.itemBatch.pending.count, 1, "the item waits")
            XCTAssertEqual(try state.sandboxMembers().map(\.packVersion), ["chengdu-2026.1"], "the report's read wrote it first")
        }
    }

    func testASavepointRolledBackTakesItsOwnItemsOnly() throws {
        let state = try AgentState(path: path)
        struct Refused: Error {}
        try state.transaction {
            try state.storePolicyItem(type: .riskClass, key: "OUTER", uscc: nil, data: Array("{}".utf8), packVersion: "p", packSerial: 1, now: now)
            // A savepoint with fewer items than a batch, then one with more (a batch written inside it).
            for count in [3, UpsertBatch<AgentState.PolicyItemRow>.rowsPerStatement + 5] {
                XCTAssertThrowsError(try state.transaction {
                    for i in 0..<count {
                        try state.storePolicyItem(type: .riskClass, key: "INNER\(count)-\(i)", uscc: nil, data: Array("{}".utf8),
                                                  packVersion: "p", packSerial: 1, now: now)
                    }
                    throw Refused()
                })
            }
            try state.storePolicyItem(type: .riskClass, key: "LATER", uscc: nil, data: Array("{}".utf8), packVersion: "p", packSerial: 1, now: now)
        }
        XCTAssertEqual(try itemsTable(state).map { $0.split(separator: "|")[1] }, ["LATER", "OUTER"])
    }
}
