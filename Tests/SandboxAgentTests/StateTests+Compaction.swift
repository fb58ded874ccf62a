import Foundation
import SandboxStorage
import XCTest
@testable import SandboxAgent

/// The state's compact storage (issue 16): audit chunks gzip-compressed, with chunks written
/// before still readable; the policy's large-row tables as rowid tables, their rows carried over.
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
        // A chunk as agents before issue 16 wrote it: plain JSON Lines.
        let old = auditEvent(0, merchant: "M0").line + [0x0a] + auditEvent(1, merchant: "M1").line + [0x0a]
        let insert = try state.database.prepare("INSERT INTO audit_chunks (first_at, last_at, count, entries) VALUES (?, ?, 2, ?)")
        try insert.bind(1, now)
        try insert.bind(2, now + 1)
        try insert.bind(3, old)
        try insert.step()
        insert.reset()
        try state.transaction {
            for i in 2..<5_000 { try state.audit(auditEvent(i, merchant: "M\(i % 7)")) }
        }
        var plainBytes = 0, storedBytes = 0, compressed = 0
        let s = try state.database.prepare("SELECT entries, count FROM audit_chunks ORDER BY seq")
        while try s.step() {
            let blob = s.blob(0)
            storedBytes += blob.count
            if Gzip.isCompressed(blob) {
                compressed += 1
                plainBytes += try XCTUnwrap(Gzip.decompress(blob)).count
            }
        }
        s.reset()
        XCTAssertEqual(compressed, 2, "4,998 events: one full chunk of 4,096 and the rest at the commit")
        XCTAssertLessThan(storedBytes, plainBytes / 5, "a chunk of similar lines compresses well")

        var lines: [[UInt8]] = []
        try state.auditEvents { lines.append($0) }
        XCTAssertEqual(lines.count, 5_000)
        XCTAssertEqual(lines.first, auditEvent(0, merchant: "M0").line, "the plain chunk is read as before")
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
        for table in ["cases", "policy_instructions", "policy_items"] {
            let sql = try XCTUnwrap(try firstText(state.database, "SELECT sql FROM sqlite_schema WHERE name = '\(table)'"))
            XCTAssertFalse(sql.uppercased().contains("WITHOUT ROWID"), "\(table) is a rowid table now")
        }
        XCTAssertEqual(try state.caseIndex().map(\.id), ["p-case-00000001"])
        XCTAssertEqual(try state.awaitedInstructions().map(\.id), ["p-guidance-00000001"])
        // The keys still refuse a second row and still serve the upserts.
        XCTAssertThrowsError(try state.database.execute("""
            INSERT INTO policy_instructions (id, kind, platform_merchant_id, issued_at, receipt_state, line)
            VALUES ('p-guidance-00000001', 'guidance', 'M1', 0, 'none', x'')
            """))
        try state.transaction {
            try state.storePolicyItem(type: .riskClass, key: "M1", uscc: "U1", data: Array(#"{"class":"B"}"#.utf8),
                                      packVersion: "chengdu-2026.1", packSerial: 1, now: now)
        }
        XCTAssertEqual(try state.database.int64("SELECT count(*) FROM policy_items"), 1)
        XCTAssertEqual(try firstText(state.database, "SELECT uscc FROM policy_items WHERE type = 'class' AND key = 'M1'"), "U1")
    }
}
