import Foundation
@testable import SandboxCore
import SandboxPolicy
import SandboxStorage
import XCTest
@testable import SandboxAgent

/// Policy items written a batch at a time by one statement (`UpsertBatch`, issue 16, session
/// 37), and merchants' standings since session 41: the table ends as row-by-row writes leave it,
/// a read on the connection sees the rows waiting, and a savepoint's rollback takes its own rows
/// only.
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

    func standingsTable(_ state: AgentState) throws -> [String] {
        var rows: [String] = []
        try state.scanMerchantPolicy { s in rows.append((0..<12).map { s.string(Int32($0)) ?? "null" }.joined(separator: "|")) }
        return rows.sorted()
    }

    /// 70 standings (two full batches and 6 more, a merchant stored again within a batch and across
    /// two) end as one by one; the loader's scan and the status's counts read inside the
    /// transaction see those waiting; a savepoint rolled back takes its own.
    func testStandingsWrittenInBatchesEndAsOneByOneAndEveryReaderSeesThem() throws {
        func standing(_ i: Int, member: Bool = false) -> MerchantPolicyState {
            MerchantPolicyState(riskClass: [.a, .b, .c][i % 3], points: i, decisionHash: UInt64(i) &* 0x9E37_79B9_7F4A_7C15,
                                classSince: 20_000 + i, member: member || i % 4 == 0, memberSince: i % 4 == 0 ? 20_100 : nil)
        }
        var writes: [(String, MerchantPolicyState)] = (0..<67).map { ("M\(1000 + $0)", standing($0)) }
        writes.insert(("M1004", standing(99)), at: 10)
        writes.append(("M1004", standing(98, member: true)))
        writes.append(("M1000", standing(97)))
        XCTAssertEqual(writes.count, 70)
        let batched = try AgentState(path: path)
        struct Refused: Error {}
        try batched.transaction {
            for (id, st) in writes { try batched.storeMerchantPolicy(id, st, packSerial: 1, now: now) }
            XCTAssertEqual(batched.standingBatch.pending.count, 6, "six wait")
            XCTAssertEqual(try batched.policyStatistics().classes.values.reduce(0, +), 67, "the counts wrote them first")
            try batched.storeMerchantPolicy("M2000", standing(1), packSerial: 1, now: now)
            XCTAssertEqual(try standingsTable(batched).count, 68, "the scan wrote the waiting one first")
            XCTAssertThrowsError(try batched.transaction {
                for i in 0..<40 { try batched.storeMerchantPolicy("INNER\(i)", standing(i), packSerial: 1, now: now) }
                throw Refused()
            })
            try batched.storeMerchantPolicy("M2000", standing(2), packSerial: 1, now: now)
        }
        let onePath = path + "-one"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: onePath + suffix) } }
        let single = try AgentState(path: onePath)
        for (id, st) in writes + [("M2000", standing(2))] { try single.storeMerchantPolicy(id, st, packSerial: 1, now: now) }
        let rows = try standingsTable(batched)
        XCTAssertEqual(rows.count, 68, "70 writes of 67 merchants and one more; the savepoint's are gone")
        XCTAssertEqual(rows, try standingsTable(single))
        XCTAssertTrue(rows.contains { $0.hasPrefix("M1004|") && $0.contains("|98|") }, "the last write of a merchant stands")
    }
}
