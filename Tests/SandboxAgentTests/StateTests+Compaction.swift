import Foundation
@testable import SandboxCore
@testable import SandboxPolicy
import SandboxStorage
import XCTest
@testable import SandboxAgent

/// The state's compact storage (issue 16): audit chunks compressed (Zstandard since schema v15,
/// gzip before), with chunks written before, plain or gzip, still readable; the policy's large-row tables as rowid tables, their rows carried over.
extension StateTests {
    func firstText(_ db: Database, _ sql: String) throws -> String? {
        let s = try db.prepare(sql)
        defer { s.reset() }
        return try s.step() ? s.string(0) : nil
    }

    func auditEvent(_ i: Int, merchant: String) -> AuditEvent {
        AuditEvent(at: now + Int64(i), actor: .agent, kind: "roster_admitted", merchantID: merchant, uscc: nil, subject: nil,
                   detail: "admitted (ADM-01)", record: Array(#"{"member":true,"criteria":[{"id":"ADM-01","text":"信用风险分类为A类"}]}"#.utf8),
                   rulePack: "chengdu-2026.1")
    }

    func testAuditChunksAreCompressedAndChunksWrittenBeforeStayReadable() throws {
        let state = try AgentState(path: path)
        // Chunks as agents before wrote them: plain JSON Lines (before issue 16), gzip (v12–v14).
        let insert = try state.database.prepare("INSERT INTO audit_chunks (first_at, last_at, count, entries) VALUES (?, ?, 1, ?)")
        for (i, entries) in [auditEvent(0, merchant: "M0").line + [0x0a], Gzip.compress(auditEvent(1, merchant: "M1").line + [0x0a])].enumerated() {
            try insert.bind(all: now + Int64(i), now + Int64(i), entries)
            try insert.step()
            insert.reset()
        }
        try state.transaction {
            for i in 2..<5_000 { try state.audit(auditEvent(i, merchant: "M\(i % 7)")) }
        }
        var plainBytes = 0, storedBytes = 0, compressed = 0
        let s = try state.database.prepare("SELECT entries, count FROM audit_chunks ORDER BY seq")
        while try s.step() {
            let blob = s.blob(0)
            storedBytes += blob.count
            if Zstd.isCompressed(blob) {
                compressed += 1
                plainBytes += try XCTUnwrap(Zstd.decompress(blob)).count
            }
        }
        s.reset()
        XCTAssertEqual(compressed, 2, "4,998 events: one full chunk of 4,096 and the rest at the commit")
        XCTAssertLessThan(storedBytes, plainBytes / 5, "a chunk of similar lines compresses well")

        var lines: [[UInt8]] = []
        try state.auditEvents { lines.append($0) }
        XCTAssertEqual(lines.count, 5_000)
        XCTAssertEqual(lines.first, auditEvent(0, merchant: "M0").line, "the plain chunk is read as before")
        XCTAssertEqual(lines[1], auditEvent(1, merchant: "M1").line, "the gzip chunk is read as before")
        XCTAssertEqual(lines.last, auditEvent(4_999, merchant: "M\(4_999 % 7)").line)
        var forM1: [[UInt8]] = []
        try state.auditEvents(merchantID: "M1") { forM1.append($0) }
        XCTAssertEqual(forM1.count, 1 + (2..<5_000).filter { $0 % 7 == 1 }.count)
    }

    func testVersion7KeepsThePolicyRowsAndTheirKeys() throws {
        do {
            // A state as agents before issue 16 left it (schema 6), with a row in each table v7 rebuilds.
            let old = try Database(path: path)
            try old.migrate(Array(StateSchema.migrations.prefix(6)))
            try old.execute("""
                INSERT INTO cases (id, platform_merchant_id, subject, rule_id, case_key, state, severity, addressee,
                                   suspension_in_force, watched, opened_day, next_due_at, record)
                VALUES ('p-case-00000001', 'M1', 'pm:M1', 'RL-01', '', 'open', 'general', 'merchant', 0, 1, 20635, 1782950000, x'7b7d');
                INSERT INTO policy_instructions (id, kind, case_id, platform_merchant_id, issued_at, receipt_due_day, receipt_state, line)
                VALUES ('p-guidance-00000001', 'guidance', 'p-case-00000001', 'M1', 1782900000, 20640, 'awaiting', x'7b7d');
                INSERT INTO policy_items (type, key, uscc, data, pack_version, pack_serial)
                VALUES ('class', 'M1', NULL, x'7b7d', 'chengdu-2026.1', 1);
                """)
        }
        let state = try AgentState(path: path)
        XCTAssertEqual(try state.database.userVersion, StateSchema.migrations.count)
        // (policy_items is a rowid table from v7 to v12: v13 makes it WITHOUT ROWID again, its rows small.)
        for table in ["cases", "policy_instructions"] {
            let sql = try XCTUnwrap(try firstText(state.database, "SELECT sql FROM sqlite_schema WHERE name = '\(table)'"))
            XCTAssertFalse(sql.uppercased().contains("WITHOUT ROWID"), "\(table) is a rowid table now")
        }
        XCTAssertEqual(try state.caseIndex().map(\.id), ["p-case-00000001"])
        XCTAssertEqual(try state.awaitedInstructions().map(\.id), ["p-guidance-00000001"])
        // The keys still refuse a second row and still serve the upserts.
        XCTAssertThrowsError(try state.database.execute("""
            INSERT INTO policy_instructions (id, kind, platform_merchant_id, issued_at, receipt_state)
            VALUES ('p-guidance-00000001', 'guidance', 'M1', 0, 'none')
            """))
        try state.transaction {
            try state.storePolicyItem(type: .riskClass, key: "M1", uscc: "U1", data: Array(#"{"class":"B"}"#.utf8),
                                      packVersion: "chengdu-2026.1", packSerial: 1, now: now)
        }
        XCTAssertEqual(try state.database.int64("SELECT count(*) FROM policy_items"), 1)
        XCTAssertEqual(try firstText(state.database, "SELECT uscc FROM policy_items WHERE type = 'class' AND key = 'M1'"), "U1")
    }

    func testVersion10KeepsAnInstructionsLineOnceInItsItem() throws {
        let line = Array(#"{"instruction_id":"p-guidance-00000001","type":"guidance","reason":"未亮照"}"#.utf8)
        do {
            // A state as agents before v10 left it: the line in policy_instructions and in the item.
            let old = try Database(path: path)
            try old.migrate(Array(StateSchema.migrations.prefix(9)))
            let item = InstructionItem.withReceiptState(line, "awaiting")
            let s = try old.prepare("""
                INSERT INTO policy_instructions (id, kind, case_id, platform_merchant_id, issued_at, receipt_due_day, receipt_state, line)
                VALUES ('p-guidance-00000001', 'guidance', 'p-case-00000001', 'M1', 1782900000, 20640, 'awaiting', ?1);
                """)
            try s.bind(1, line)
            try s.step()
            s.reset()
            let i = try old.prepare("""
                INSERT INTO policy_items (type, key, uscc, data, pack_version, pack_serial)
                VALUES ('instruction', 'p-guidance-00000001', 'U1', ?1, 'chengdu-2026.1', 1)
                """)
            try i.bind(1, item)
            try i.step()
            i.reset()
        }
        let state = try AgentState(path: path)
        XCTAssertEqual(try state.database.userVersion, StateSchema.migrations.count)
        let sql = try XCTUnwrap(try firstText(state.database, "SELECT sql FROM sqlite_schema WHERE name = 'policy_instructions'"))
        XCTAssertFalse(sql.contains("line"), "the line is no longer a column: \(sql)")
        XCTAssertEqual(try state.awaitedInstructions().map(\.id), ["p-guidance-00000001"])
        // A receipt: the state in the row, the line read back from the item for the new item.
        let executed = ReceiptStateChange(instructionID: "p-guidance-00000001", caseID: "p-case-00000001", state: .executed,
                                          receiptID: "r1", at: now)
        let read = try state.transaction { try state.setReceiptState(executed) }
        XCTAssertEqual(read, line)
        XCTAssertEqual(try firstText(state.database, "SELECT receipt_state FROM policy_instructions"), "executed")
        XCTAssertEqual(InstructionItem.line(of: InstructionItem.withReceiptState(line, "executed")), line)
        XCTAssertNil(try state.transaction {
            try state.setReceiptState(ReceiptStateChange(instructionID: "p-guidance-00000002", caseID: "", state: .executed,
                                                         receiptID: nil, at: now))
        }, "no such instruction")
    }

    /// A case as the engine makes it, with a rule whose texts are most of its record.
    func policyCase(_ id: String, merchant: String = "M1") -> PolicyCase {
        let rule = CaseRuleSnapshot(
            title: "未按规定亮照亮证", severity: .general, addressee: .merchant, reason: "经营者未在首页显著位置公示营业执照信息",
            action: "请于期限内公示营业执照信息", basis: "《电子商务法》第十五条", deadlineDays: 7, clearsBy: .condition,
            ladderID: "standard", steps: [PackLadder.Step(kind: .warning, afterDays: 3, receiptDays: 2, action: "警示", basis: "第十五条")],
            packVersion: "chengdu-2026.1")
        return PolicyCase(id: id, merchantID: merchant, uscc: "U1", subject: "U1", ruleID: "RL-01", caseKey: "", rule: rule,
                          evidence: [PolicyEvidence(field: "merchant.licence_displayed", expected: nil, found: "false", source: "merchant")],
                          state: .open, openedAt: now, openedDay: 20635, deadlineDay: 20642, stepsIssued: 0, lastStepDay: nil,
                          suspensionInForce: false, rectifiedAt: nil, closedAt: nil, closeReason: nil, determination: nil,
                          instructionIDs: ["p-guidance-00000001"], packSerial: 1)
    }

    func testVersion10StoresACasesRuleOnceAndConvertsTheRecordsBeforeIt() throws {
        let before = policyCase("p-case-00000001")
        do {
            // A case stored before v10: its record holds its rule.
            let old = try Database(path: path)
            try old.migrate(Array(StateSchema.migrations.prefix(9)))
            let s = try old.prepare("""
                INSERT INTO cases (id, platform_merchant_id, subject, rule_id, case_key, state, severity, addressee,
                                   suspension_in_force, watched, opened_day, next_due_at, record)
                VALUES ('p-case-00000001', 'M1', 'U1', 'RL-01', '', 'open', 'general', 'merchant', 0, 1, 20635, NULL, ?1)
                """)
            try s.bind(1, Array(try AgentState.caseEncoder.encode(before)))
            try s.step()
            s.reset()
        }
        let state = try AgentState(path: path)
        XCTAssertEqual(try state.policyCase(id: "p-case-00000001"), before, "the converted record reads as the case it was")
        XCTAssertEqual(try state.database.int64("SELECT count(*) FROM case_rules"), 1)
        XCTAssertEqual(try state.database.int64("SELECT count(*) FROM cases WHERE instr(CAST(record AS TEXT), '公示营业执照') > 0"), 0,
                       "the rule's texts left the record")
        // New cases of the same rule share its row; their records are read back whole.
        try state.transaction {
            for n in 2...3 { try state.storeCase(policyCase("p-case-0000000\(n)", merchant: "M\(n)"), nextDue: nil) }
        }
        XCTAssertLessThanOrEqual(try XCTUnwrap(try state.database.int64("SELECT count(*) FROM case_rules")), 2,
                                 "one row per form of the rule (SQLite's JSON of the converted, the encoder's), not one per case")
        XCTAssertEqual(try state.policyCase(id: "p-case-00000003"), policyCase("p-case-00000003", merchant: "M3"))
        XCTAssertEqual(try state.openCases().map(\.id), ["p-case-00000001", "p-case-00000002", "p-case-00000003"])
        let stored = try XCTUnwrap(try state.database.int64("SELECT max(length(record)) FROM cases WHERE id = 'p-case-00000003'"))
        XCTAssertLessThan(Int(stored), Array(try AgentState.caseEncoder.encode(before)).count / 2)
    }

    func testVersion13KeepsThePolicyItemsByTheirKeyAndDropsTheHistoriesIndexesByMerchant() throws {
        let rows = "SELECT type, key, uscc, hex(data), pack_version, pack_serial FROM policy_items ORDER BY type, key"
        func all(_ db: Database, _ sql: String) throws -> [String] {
            let s = try db.prepare(sql)
            defer { s.reset() }
            var out: [String] = []
            while try s.step() { out.append((0..<6).map { s.string(Int32($0)) ?? "NULL" }.joined(separator: "|")) }
            return out
        }
        let before: [String]
        do {
            // A state as agents before v13 left it: items in a rowid table, written out of key order.
            let old = try Database(path: path)
            try old.migrate(Array(StateSchema.migrations.prefix(12)))
            try old.execute("""
                INSERT INTO policy_items (type, key, uscc, data, pack_version, pack_serial) VALUES
                    ('roster', 'M1', 'U1', x'02aa', 'chengdu-2026.1', 1),
                    ('class', 'M2', NULL, x'7b7d', 'chengdu-2026.1', 1),
                    ('class', 'M1', 'U1', x'01bb', 'chengdu-2026.1', 2);
                INSERT INTO class_history (platform_merchant_id, at, class, previous_class, points, explanation, pack_serial)
                    VALUES ('M1', 1782900000, 'B', NULL, 5, x'07cc', 1);
                INSERT INTO roster_history (platform_merchant_id, at, decision, source, record, pack_serial)
                    VALUES ('M1', 1782900000, 'admitted', 'agent', x'02aa', 1);
                """)
            XCTAssertEqual(try old.int64("SELECT count(*) FROM sqlite_schema WHERE tbl_name = 'policy_items' AND type = 'index'"), 1)
            before = try all(old, rows)
        }
        let state = try AgentState(path: path)
        XCTAssertEqual(try state.database.userVersion, StateSchema.migrations.count)
        let sql = try XCTUnwrap(try firstText(state.database, "SELECT sql FROM sqlite_schema WHERE name = 'policy_items'"))
        XCTAssertTrue(sql.uppercased().contains("WITHOUT ROWID"), sql)
        XCTAssertEqual(try state.database.int64("SELECT count(*) FROM sqlite_schema WHERE tbl_name = 'policy_items' AND type = 'index'"), 0,
                       "the key is the table: no index beside it")
        XCTAssertEqual(try all(state.database, rows), before, "every item kept, byte for byte")
        XCTAssertEqual(try state.database.int64("""
            SELECT count(*) FROM sqlite_schema WHERE name IN ('class_history_merchant', 'roster_history_merchant')
            """), 0)
        XCTAssertEqual(try state.database.int64("SELECT count(*) FROM class_history"), 1)
        XCTAssertEqual(try state.database.int64("SELECT count(*) FROM roster_history"), 1)

        // The key still serves the upsert: an item written again replaces its row.
        try state.transaction {
            try state.storePolicyItem(type: .riskClass, key: "M2", uscc: "U2", data: Array(#"{"class":"B"}"#.utf8),
                                      packVersion: "chengdu-2026.1", packSerial: 3, now: now)
        }
        XCTAssertEqual(try state.database.int64("SELECT count(*) FROM policy_items"), 3)
        XCTAssertEqual(try firstText(state.database, "SELECT uscc FROM policy_items WHERE type = 'class' AND key = 'M2'"), "U2")
        XCTAssertTrue(try renderedPolicyLine(state, .riskClass, "M2").contains(#""data":{"class":"B"}"#))
    }

    func testVersion16KeepsTheFindingsInARowidTableStillOneAMerchantAndCode() throws {
        do {
            // A state as agents before session 29 left it (schema 15): findings keyed by themselves.
            let old = try Database(path: path)
            try old.migrate(Array(StateSchema.migrations.prefix(15)))
            try old.execute("""
                INSERT INTO findings (platform_merchant_id, code, severity, message, evidence_json, basis, first_seen, last_seen)
                VALUES ('M2', 'LICENCE_MISSING', 'serious', '缺少许可', '[]', '《电子商务法》第十二条', 10, 20),
                       ('M1', 'USCC_MISKEYED', 'minor', '代码校验位错误', '[{"field":"uscc"}]', '《电子商务法》第十五条', 11, 11);
                """)
        }
        let state = try AgentState(path: path)
        XCTAssertEqual(try state.database.userVersion, StateSchema.migrations.count)
        let sql = try XCTUnwrap(try firstText(state.database, "SELECT sql FROM sqlite_schema WHERE name = 'findings'"))
        XCTAssertFalse(sql.uppercased().contains("WITHOUT ROWID"), "findings is a rowid table now")
        XCTAssertEqual(try state.findings(merchantID: "M2").map(\.code), ["LICENCE_MISSING"])
        XCTAssertEqual(try state.findings(merchantID: "M1").first?.evidence.first?.field, "uscc")
        XCTAssertEqual(try firstText(state.database, "SELECT group_concat(platform_merchant_id, ',') FROM findings"), "M1,M2",
                       "copied in key order")
        XCTAssertNotNil(try firstText(state.database, "SELECT name FROM sqlite_schema WHERE name = 'findings_code'"))
        XCTAssertThrowsError(try state.database.execute("""
            INSERT INTO findings VALUES ('M1', 'USCC_MISKEYED', 'minor', 'again', '[]', '', 12, 12)
            """), "one finding a merchant and code")
    }
}
