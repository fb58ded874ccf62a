import Foundation
@testable import SandboxCore
@testable import SandboxPolicy
import SandboxStorage
import XCTest
@testable import SandboxAgent

/// Policy items and roster records stored compressed against a preset dictionary (Zstandard since
/// schema v15, raw deflate in v11–v14; issue 16): the same bytes come back, the lines for the
/// regulator do not change, and items stored by agents before, deflated or as JSON, are read as
/// they were.
extension StateTests {
    static let classJSON = Array(#"""
        {"class":"B","class_name":"信用风险一般","points":13,"since":"2026-07-01","explanation":{"decided_at":"2026-06-30T16:00:00Z","previous_class":"A","indicators":[{"id":"IND-B1","value":{"merchant.opened_at":"2026-04-22"},"points":5},{"id":"IND-D3","value":{"findings":"DISPLAYED_NAME_MISMATCH"},"points":8}],"floors":[],"unknown":[]}}
        """#.utf8)
    static let rosterJSON = Array(#"""
        {"member":false,"proposed":false,"excluded_by_regulator":true,"member_since":null,"source":"agent","decision":{"decision":"removed","at":"2026-07-02T16:00:00Z","criteria":[{"id":"ADM-01","value":false,"holds":false},{"id":"ADM-04","value":"C","holds":false}],"directive_id":null},"readmit_not_before":"2026-10-01"}
        """#.utf8)

    func testItemCodecGivesBackTheSameBytesInFewer() throws {
        let codec = PolicyItemCodec()
        let instruction = Array(#"{"instruction_id":"p-guidance-00000001","type":"guidance","reason":"未亮照","evidence":[{"field":"x","found":"\u0001\"\\"}],"receipt_state":"awaiting"}"#.utf8)
        let cases: [(FeedType, [UInt8])] = [(.riskClass, Self.classJSON), (.roster, Self.rosterJSON), (.instruction, instruction),
                                            (.prompt, Array(#"{"prompt_id":"PR-09","window_key":"W1","cause":"x","addressee":"merchant","issued_at":"2026-07-01T02:00:00Z"}"#.utf8))]
        for (type, json) in cases {
            let stored = codec.encode(json, as: type)
            XCTAssertEqual(stored.first, PolicyItemCodec.Dictionary(type)?.zstdByte, "\(type) is encoded")
            XCTAssertEqual(codec.decode(stored), json, "\(type) comes back byte for byte")
        }
        XCTAssertLessThan(codec.encode(Self.classJSON, as: .riskClass).count, Self.classJSON.count / 4)
        XCTAssertLessThan(codec.encode(Self.rosterJSON, as: .roster).count, Self.rosterJSON.count / 6)

        // Every dictionary's own items, and a long item that takes more than one output buffer.
        for dictionary in PolicyItemCodec.Dictionary.allCases {
            for line in dictionary.bytes.split(separator: 0x0a) {
                let json = Array(line)
                XCTAssertEqual(codec.decode(codec.encode(json, with: dictionary)), json)
            }
        }
        var long = Array(#"{"evidence":["#.utf8)
        for i in 0..<3_000 { long += Array(#"{"field":"f\#(i)","found":"\#(i * 7919 % 10_007)"},"#.utf8) }
        long += Array(#"{}]}"#.utf8)
        let storedLong = codec.encode(long, as: .policyCase)
        XCTAssertEqual(storedLong.first, PolicyItemCodec.Dictionary.caseItems.zstdByte)
        XCTAssertEqual(codec.decode(storedLong), long)
        XCTAssertEqual(PolicyItemCodec().decode(storedLong), long, "decompressed through a buffer smaller than the item")
        let longClass = Array(Self.classJSON.dropLast()) + Array(#","note":""#.utf8) + long.filter { $0 != 0x22 } + Array(#""}"#.utf8)
        XCTAssertGreaterThan(longClass.count, 1 << 13)
        let storedLongClass = codec.encode(longClass, as: .riskClass)
        XCTAssertEqual(storedLongClass.first, PolicyItemCodec.Dictionary.classItems.zstdByte)
        XCTAssertEqual(PolicyItemCodec().decode(storedLongClass), longClass)
        // The codec is reused item after item, across dictionaries: an item does not leak into the next.
        XCTAssertEqual(codec.decode(codec.encode(Self.classJSON, as: .riskClass)), Self.classJSON)
        for (type, json) in cases {
            XCTAssertEqual(codec.encode(json, as: type), PolicyItemCodec().encode(json, as: type), "\(type) after other items")
        }

        // Items an agent of schema v11–v14 stored: raw deflate against the same dictionaries
        // (zlib level 3, memLevel 5), first byte the dictionary's number.
        let deflatedClass: [UInt8] = hex("0123bb28a5617d060e49cad2e1405567c0100500")
        let deflatedRoster: [UInt8] = hex("0243a40468e4125b2e42eca67ab1084c464624a600824507527c293903438fec8203924a0d0d4009b01600")
        XCTAssertEqual(codec.decode(deflatedClass), Self.classJSON)
        XCTAssertEqual(PolicyItemCodec().decode(deflatedRoster), Self.rosterJSON)
        XCTAssertNil(codec.decode(Array(deflatedRoster.dropLast(3))), "a cut deflate stream")

        // What is not encoded, and what no agent stores.
        XCTAssertEqual(codec.encode(Self.classJSON, as: .merchant), Self.classJSON, "not a policy item")
        XCTAssertEqual(codec.encode([], as: .riskClass), [])
        XCTAssertEqual(codec.encode(Array("{}".utf8), as: .riskClass), Array("{}".utf8), "not smaller encoded: kept as JSON")
        XCTAssertEqual(codec.decode(Self.classJSON), Self.classJSON, "JSON as agents before v11 stored it")
        XCTAssertEqual(codec.decode([]), [])
        let stored = codec.encode(Self.rosterJSON, as: .roster)
        XCTAssertNil(codec.decode(Array(stored.dropLast(2))), "a cut frame")
        XCTAssertNil(codec.decode(stored + [0x00]), "bytes after the frame's end")
        XCTAssertNil(codec.decode([0x63] + stored.dropFirst()), "an unknown dictionary")
        XCTAssertNil(codec.decode([0x88] + stored.dropFirst()), "an unknown dictionary")
        XCTAssertNil(codec.decode([0x90] + stored.dropFirst()), "an unknown dictionary")
        XCTAssertNil(codec.decode([0xa2] + stored.dropFirst()), "an unknown dictionary")
        XCTAssertNil(codec.decode([PolicyItemCodec.Dictionary.rosterItems.rawValue] + stored.dropFirst()), "a frame is not a deflate stream")
        XCTAssertNotEqual(codec.decode([PolicyItemCodec.Dictionary.classItems.zstdByte] + stored.dropFirst()), Self.rosterJSON,
                          "the dictionary the byte names is the one used")
    }

    /// Items an agent of schema v15–v16 stored (Zstandard against a dictionary's content alone,
    /// first byte 0x81…0x87) are read as they were; the codec writes against the dictionaries
    /// with their entropy tables (0x89…0x8F), which are frozen.
    /// An item met again takes its stored form from the codec's memory (`RepeatedItems`): the
    /// very bytes a fresh codec gives, for items met once, twice, after the memory turned over
    /// and in any order; different items never share one.
    func testARepeatedItemIsStoredAsCompressingItAgainWouldStoreIt() throws {
        let codec = PolicyItemCodec()
        /// Class items that differ in their points only, a little more than two generations' worth.
        let count = 2 * RepeatedItems.generation + 300
        func item(_ i: Int) -> [UInt8] {
            Array(String(decoding: Self.classJSON, as: UTF8.self).replacingOccurrences(of: #""points":13"#, with: #""points":\#(i)"#).utf8)
        }
        var stored: [[UInt8]] = []
        for i in 0..<count { stored.append(codec.encode(item(i), as: .riskClass)) }
        XCTAssertEqual(Set(stored).count, count, "different items, different stored forms")
        // Met again: the latest ones (remembered), the earliest ones (turned over), at random.
        let fresh = PolicyItemCodec()
        var order = Array((count - 100)..<count) + Array(0..<100)
        var random = SystemRandomNumberGenerator()
        order += (0..<500).map { _ in Int.random(in: 0..<count, using: &random) }
        for i in order {
            let again = codec.encode(item(i), as: .riskClass)
            XCTAssertEqual(again, stored[i], "item \(i) met again")
            XCTAssertEqual(again, fresh.encode(item(i), as: .riskClass), "item \(i) as a fresh codec stores it")
            XCTAssertEqual(codec.decode(again), item(i))
        }
        // One JSON under two dictionaries: each its own form; and roster items that repeat.
        let asPrompt = codec.encode(Self.classJSON, as: .prompt)
        XCTAssertEqual(asPrompt.first, PolicyItemCodec.Dictionary.promptItems.zstdByte)
        XCTAssertEqual(codec.decode(asPrompt), Self.classJSON)
        for _ in 0..<3 { XCTAssertEqual(codec.encode(Self.rosterJSON, as: .roster), fresh.encode(Self.rosterJSON, as: .roster)) }
        XCTAssertFalse(PolicyItemCodec.Dictionary.caseItems.itemsRepeat, "case items name their case: nothing to remember")
    }

    func testItemsCompressedAgainstTheContentAloneAreReadAndTheTablesAreFrozen() throws {
        let codec = PolicyItemCodec()
        let summary = Array(#"{"class":"B","previous_class":"A","points":13,"indicators":{"IND-B1":5,"IND-D3":8}}"#.utf8)
        // Made by libzstd 1.5.4 at level 4 against the content alone, as a v15 agent made them.
        XCTAssertEqual(codec.decode(hex("8100008d0000185d7d7d0340003369939a681b9996ca01")), Self.classJSON)
        XCTAssertEqual(codec.decode(hex("8200003d010078372d30323422432231302d3031227d0700273300f090e580ed3640c9354a043fc6c01b9d1908")),
                       Self.rosterJSON)
        XCTAssertEqual(PolicyItemCodec().decode(hex("870000b5000040334433223a387d7d0400a009012160c50067e20202")), summary)
        XCTAssertEqual(codec.encode(summary, with: .classSummaries).first, 0x8f, "written with the tables")
        XCTAssertEqual(codec.decode(codec.encode(summary, with: .classSummaries)), summary)

        // The tables are libzstd's dictionaries: magic, the id they were made with, then the
        // content byte for byte. And they are frozen: an agent reads its stored items with them.
        var all: [UInt8] = []
        for dictionary in PolicyItemCodec.Dictionary.allCases {
            let whole = dictionary.withTablesBytes
            XCTAssertEqual(Array(whole.prefix(4)), [0x37, 0xa4, 0x30, 0xec], "\(dictionary)")
            let id = whole[4..<8].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            XCTAssertEqual(id, 0x5d1c_7000 + UInt32(dictionary.rawValue), "\(dictionary)")
            XCTAssertEqual(Array(whole.suffix(dictionary.bytes.count)), dictionary.bytes, "\(dictionary)")
            all += whole
        }
        XCTAssertEqual(FNV1a.hash(all), 10_128_065_881_288_250_657, "the dictionaries with their tables changed: items stored with them would no longer read")
    }

    /// The line the renderer makes of a policy item as stored in `policy_items`.
    func renderedPolicyLine(_ state: AgentState, _ type: FeedType, _ key: String) throws -> String {
        let renderer = try FeedLineRenderer(state: state, platformID: "p")
        renderer.version = 7
        var out: [UInt8] = []
        XCTAssertTrue(try renderer.append(FeedEntry(seq: 1, type: type, key: key, part2: nil, part3: nil), to: &out))
        return String(decoding: out, as: UTF8.self)
    }

    func testVersion11StoresItemsEncodedAndRendersOldAndNewItemsAlike() throws {
        let line = Array(#"{"instruction_id":"p-guidance-00000001","type":"guidance","reason":"未亮照"}"#.utf8)
        do {
            // A state as agents before v11 left it: items and the roster's record as JSON.
            let old = try Database(path: path)
            try old.migrate(Array(StateSchema.migrations.prefix(10)))
            let s = try old.prepare("""
                INSERT INTO policy_items (type, key, uscc, data, pack_version, pack_serial) VALUES (?1, ?2, 'U1', ?3, 'chengdu-2026.1', 1)
                """)
            for (type, key, data) in [("class", "M1", Self.classJSON), ("roster", "M1", Self.rosterJSON),
                                      ("instruction", "p-guidance-00000001", InstructionItem.withReceiptState(line, "awaiting"))] {
                try s.bind(1, type)
                try s.bind(2, key)
                try s.bind(3, data)
                try s.step()
                s.reset()
            }
            try old.execute("""
                INSERT INTO policy_instructions (id, kind, case_id, platform_merchant_id, issued_at, receipt_due_day, receipt_state)
                VALUES ('p-guidance-00000001', 'guidance', 'p-case-00000001', 'M1', 1782900000, 20640, 'awaiting');
                """)
        }
        let state = try AgentState(path: path)
        XCTAssertEqual(try state.database.userVersion, StateSchema.migrations.count)
        let oldClass = try renderedPolicyLine(state, .riskClass, "M1")
        let oldRoster = try renderedPolicyLine(state, .roster, "M1")
        XCTAssertTrue(oldClass.contains(#","data":"# + String(decoding: Self.classJSON, as: UTF8.self) + "}\n"), oldClass)
        XCTAssertTrue(oldClass.contains(#""content_hash":"\#(FNV1a.hash(Self.classJSON))""#), oldClass)
        // A receipt reads the line back from the JSON item, and stores the new item encoded.
        let executed = ReceiptStateChange(instructionID: "p-guidance-00000001", caseID: "p-case-00000001", state: .executed,
                                          receiptID: "r1", at: now)
        XCTAssertEqual(try state.transaction { try state.setReceiptState(executed) }, line)

        // The same items written by this agent: stored encoded, rendered to the very same lines.
        try state.transaction {
            try state.storePolicyItem(type: .riskClass, key: "M1", uscc: "U1", data: Self.classJSON,
                                      packVersion: "chengdu-2026.1", packSerial: 1, now: now)
            try state.storePolicyItem(type: .roster, key: "M1", uscc: "U1", stored: state.itemCodec.encode(Self.rosterJSON, as: .roster),
                                      packVersion: "chengdu-2026.1", packSerial: 1, now: now)
            try state.storePolicyItem(type: .instruction, key: "p-guidance-00000001", uscc: "U1",
                                      data: InstructionItem.withReceiptState(line, "executed"),
                                      packVersion: "chengdu-2026.1", packSerial: 1, now: now)
        }
        let s = try state.database.prepare("SELECT type, data FROM policy_items ORDER BY type")
        var firstBytes: [String: UInt8] = [:]
        var storedBytes = 0
        while try s.step() {
            firstBytes[s.string(0) ?? ""] = s.blob(1).first
            storedBytes += s.blob(1).count
        }
        s.reset()
        XCTAssertEqual(firstBytes, ["class": 0x89, "roster": 0x8a, "instruction": 0x8b])
        XCTAssertLessThan(storedBytes, (Self.classJSON.count + Self.rosterJSON.count) / 3)
        XCTAssertEqual(try renderedPolicyLine(state, .riskClass, "M1"), oldClass)
        XCTAssertEqual(try renderedPolicyLine(state, .roster, "M1"), oldRoster)
        XCTAssertTrue(try renderedPolicyLine(state, .instruction, "p-guidance-00000001")
            .contains(#","data":"# + String(decoding: InstructionItem.withReceiptState(line, "executed"), as: UTF8.self) + "}\n"))
        // And a receipt reads the line back from the encoded item.
        let overdue = ReceiptStateChange(instructionID: "p-guidance-00000001", caseID: "p-case-00000001", state: .overdue,
                                         receiptID: nil, at: now)
        XCTAssertEqual(try state.transaction { try state.setReceiptState(overdue) }, line)

        // Bytes no agent stores are refused, not sent.
        try state.database.execute("UPDATE policy_items SET data = x'09ffff' WHERE type = 'class'")
        let renderer = try FeedLineRenderer(state: state, platformID: "p")
        var out: [UInt8] = []
        XCTAssertThrowsError(try renderer.append(FeedEntry(seq: 1, type: .riskClass, key: "M1", part2: nil, part3: nil), to: &out))
    }

    func testVersion12StoresCaseRecordsAndClassSummariesEncodedAndReadsTheRecordsBefore() throws {
        let before = policyCase("p-case-00000001")
        let slim = CaseRecord.json(before)
        do {
            // A state as agents before v12 left it: a case's record as JSON (its rule in case_rules).
            let old = try Database(path: path)
            try old.migrate(Array(StateSchema.migrations.prefix(11)))
            let rule = try old.prepare("INSERT INTO case_rules (id, rule) VALUES (1, ?1)")
            try rule.bind(1, Array(try AgentState.caseEncoder.encode(before.rule)))
            try rule.step()
            rule.reset()
            let s = try old.prepare("""
                INSERT INTO cases (id, platform_merchant_id, subject, rule_id, case_key, state, severity, addressee,
                                   suspension_in_force, watched, opened_day, next_due_at, record, rule_snapshot)
                VALUES ('p-case-00000001', 'M1', 'U1', 'RL-01', '', 'open', 'general', 'merchant', 0, 1, 20635, NULL, ?1, 1)
                """)
            try s.bind(1, slim)
            try s.step()
            s.reset()
            XCTAssertEqual(try old.int64("SELECT count(*) FROM sqlite_schema WHERE name = 'events_time'"), 1)
        }
        let state = try AgentState(path: path)
        XCTAssertEqual(try state.database.userVersion, StateSchema.migrations.count)
        XCTAssertEqual(try state.database.int64("SELECT count(*) FROM sqlite_schema WHERE name = 'events_time'"), 0,
                       "the index by time alone is gone")
        XCTAssertEqual(try state.policyCase(id: "p-case-00000001"), before, "a JSON record reads as it did")

        // Written again, and new cases: stored encoded (dictionary 6), read back as the same cases.
        let second = policyCase("p-case-00000002", merchant: "M2")
        try state.transaction {
            try state.storeCase(before, nextDue: nil)
            try state.storeCase(second, nextDue: nil)
        }
        let s = try state.database.prepare("SELECT record FROM cases ORDER BY id")
        var stored: [[UInt8]] = []
        while try s.step() { stored.append(s.blob(0)) }
        s.reset()
        XCTAssertEqual(stored.map(\.first), [0x8e, 0x8e])
        XCTAssertLessThan(stored[0].count, slim.count / 2)
        XCTAssertEqual(try state.policyCase(id: "p-case-00000001"), before)
        XCTAssertEqual(try state.policyCase(id: "p-case-00000002"), second)
        XCTAssertEqual(try state.openCases(), [before, second])

        // A record no agent stores is refused with the table's name, not taken for a case.
        try state.database.execute("UPDATE cases SET record = x'09ffff' WHERE id = 'p-case-00000002'")
        XCTAssertThrowsError(try state.policyCase(id: "p-case-00000002")) { error in
            XCTAssertTrue("\(error)".contains("cases.record"), "\(error)")
        }

        // A class decision's summary in the history, through the dictionary of summaries.
        let summary = Array(#"{"class":"B","previous_class":"A","points":13,"indicators":{"IND-B1":5,"IND-D3":8}}"#.utf8)
        let encoded = state.itemCodec.encode(summary, with: .classSummaries)
        XCTAssertEqual(encoded.first, 0x8f)
        XCTAssertLessThan(encoded.count, summary.count / 2, "compressed against the dictionary")
        XCTAssertEqual(state.itemCodec.decode(encoded), summary)
    }
}

/// Bytes written as hex digits, two per byte.
private func hex(_ digits: String) -> [UInt8] {
    let d = Array(digits.utf8)
    return stride(from: 0, to: d.count, by: 2).map { UInt8(String(decoding: d[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
}
