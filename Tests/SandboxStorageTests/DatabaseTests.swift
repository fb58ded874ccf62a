import CSQLite
import Foundation
import TestSupport
import XCTest
@testable import SandboxStorage

final class DatabaseTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = try temporaryFolder(prefix: "storage-tests", name)
    }

    func openDatabase(_ name: String = "test.db", busyTimeout: Int32 = 5_000) throws -> Database {
        try Database(path: directory + "/" + name, busyTimeoutMilliseconds: busyTimeout)
    }

    func testOpenSetsWALSynchronousAndForeignKeys() throws {
        let db = try openDatabase()
        let mode = try db.prepare("PRAGMA journal_mode")
        XCTAssertTrue(try mode.step())
        XCTAssertEqual(mode.string(0), "wal")
        mode.reset()
        // FULL: a commit is on disk before the agent archives its file or the regulator answers.
        XCTAssertEqual(try db.int64("PRAGMA synchronous"), 2)
        XCTAssertEqual(try db.int64("PRAGMA foreign_keys"), 1)
        XCTAssertEqual(try db.int64("PRAGMA busy_timeout"), 5_000)
    }

    func testEveryTypeRoundTrips() throws {
        let db = try openDatabase()
        try db.execute("CREATE TABLE t (i INTEGER, n INTEGER, d REAL, s TEXT, b BLOB, z)")
        let insert = try db.prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)")
        let longText = String(repeating: "统一社会信用代码-", count: 200)
        let rows: [(Int64, Int, Double, String, [UInt8])] = [
            (Int64.min, Int.max, -0.5, "", []),
            (Int64.max, -1, 1e300, "店铺 \"quoted\" \n 'x' \u{0}end", [0, 255, 1, 0]),
            (0, 0, 0, longText, Array(repeating: 0xAB, count: 10_000)),
        ]
        for row in rows {
            try insert.bind(1, row.0)
            try insert.bind(2, row.1)
            try insert.bind(3, row.2)
            try insert.bind(4, row.3)
            try insert.bind(5, row.4)
            try insert.bindNull(6)
            XCTAssertFalse(try insert.step())
            insert.reset()
        }
        let select = try db.prepare("SELECT i, n, d, s, b, z, typeof(s), typeof(b) FROM t ORDER BY rowid")
        for row in rows {
            XCTAssertTrue(try select.step())
            XCTAssertEqual(select.int64(0), row.0)
            XCTAssertEqual(select.int(1), row.1)
            XCTAssertEqual(select.double(2), row.2)
            XCTAssertEqual(select.string(3), row.3)
            XCTAssertEqual(select.blob(4), row.4)
            XCTAssertTrue(select.isNull(5))
            XCTAssertNil(select.string(5))
            XCTAssertNil(select.int64OrNil(5))
            XCTAssertFalse(select.isNull(3))
            // Empty values stay empty values, not NULL.
            XCTAssertEqual(select.string(6), "text")
            XCTAssertEqual(select.string(7), "blob")
        }
        XCTAssertFalse(try select.step())
    }

    func testOptionalBindsWriteNullOrValue() throws {
        let db = try openDatabase()
        try db.execute("CREATE TABLE t (a, b, c, d, e)")
        let insert = try db.prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?)")
        try insert.bind(1, Int64?.none)
        try insert.bind(2, Int?.none)
        try insert.bind(3, Double?.none)
        try insert.bind(4, String?.none)
        try insert.bind(5, [UInt8]?.none)
        try insert.step()
        XCTAssertEqual(try db.int64("""
            SELECT count(*) FROM t WHERE a IS NULL AND b IS NULL AND c IS NULL AND d IS NULL AND e IS NULL
            """), 1)
        try db.execute("DELETE FROM t")
        let again = try db.prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?)")
        try again.bind(1, Int64?.some(7))
        try again.bind(2, Int?.some(8))
        try again.bind(3, Double?.some(9.5))
        try again.bind(4, String?.some("x"))
        try again.bind(5, [UInt8]?.some([1]))
        try again.step()
        XCTAssertEqual(try db.int64("""
            SELECT count(*) FROM t WHERE a = 7 AND b = 8 AND c = 9.5 AND d = 'x' AND e = x'01'
            """), 1)
    }

    /// `bind(all:)` puts each value at its own number, whichever form binds it: the fixed-arity
    /// forms up to 14 values (`SQLStatement+Arity.swift`), the parameter pack beyond, and
    /// `bind(from:all:)` from the number given.
    func testBindAllPutsEachValueAtItsNumberInEveryForm() throws {
        let db = try openDatabase()
        func row(_ n: Int, _ bind: (Statement) throws -> Void) throws -> [String] {
            let s = try db.prepare("SELECT " + (1...n).map { "quote(?\($0))" }.joined(separator: ", "))
            defer { s.reset() }
            try bind(s)
            XCTAssertTrue(try s.step())
            return (0..<n).map { s.string(Int32($0)) ?? "" }
        }
        let none: String? = nil
        XCTAssertEqual(try row(1) { try $0.bind(all: "a") }, ["'a'"])
        XCTAssertEqual(try row(3) { try $0.bind(all: 1, none, [UInt8]([0xAB])) }, ["1", "NULL", "X'AB'"])
        XCTAssertEqual(try row(14) { try $0.bind(all: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, "m", Int64(14)) },
                       (1...12).map(String.init) + ["'m'", "14"])
        XCTAssertEqual(try row(15) { try $0.bind(all: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, Optional("o")) },
                       (1...14).map(String.init) + ["'o'"])
        XCTAssertEqual(try row(8) { s in try s.bind(from: 1, all: 1, 2); try s.bind(from: 3, all: 3, none, 5, 6, 7.5, true) },
                       ["1", "2", "3", "NULL", "5", "6", "7.5", "1"])
    }

    func testBindUTF8BufferAndWithText() throws {
        let db = try openDatabase()
        let select = try db.prepare("SELECT ?")
        let bytes: [UInt8] = Array("2026-07-01".utf8)
        try bytes.withUnsafeBufferPointer { try select.bind(1, utf8: $0) }
        XCTAssertTrue(try select.step())
        XCTAssertEqual(select.withText(0) { $0.map(Array.init) }, bytes)
    }

    func testRebindingGrowsAndKeepsBoundValuesAcrossReset() throws {
        let db = try openDatabase()
        try db.execute("CREATE TABLE t (a TEXT, b BLOB)")
        let insert = try db.prepare("INSERT INTO t VALUES (?, ?)")
        let big = String(repeating: "长", count: 30_000)  // 90,000 bytes: SQLite copies it itself
        let values = ["short", String(repeating: "x", count: 500), "s", big, "after big"]
        for (i, text) in values.enumerated() {
            try insert.bind(1, text)
            try insert.bind(2, [UInt8](repeating: UInt8(i), count: i * 100))
            try insert.step()
            insert.reset()
        }
        // Bindings survive reset: the same values are inserted again without rebinding.
        try insert.step()
        insert.reset()
        let select = try db.prepare("SELECT a, b FROM t ORDER BY rowid")
        var texts: [String] = []
        var blobs: [[UInt8]] = []
        while try select.step() {
            texts.append(select.string(0) ?? "NULL")
            blobs.append(select.blob(1))
        }
        XCTAssertEqual(texts, values + ["after big"])
        XCTAssertEqual(blobs, (0..<5).map { [UInt8](repeating: UInt8($0), count: $0 * 100) } + [[UInt8](repeating: 4, count: 400)])

        // Binding while the statement is mid-run is refused and leaves the old value bound.
        let probe = try db.prepare("SELECT ?1 FROM t")
        try probe.bind(1, "kept")
        XCTAssertTrue(try probe.step())
        XCTAssertThrowsError(try probe.bind(1, "refused")) { XCTAssertEqual(($0 as? SQLiteError)?.primaryCode, SQLITE_MISUSE) }
        XCTAssertEqual(probe.string(0), "kept")
        probe.reset()
        XCTAssertTrue(try probe.step())
        XCTAssertEqual(probe.string(0), "kept")
        probe.reset()
        XCTAssertThrowsError(try probe.bind(2, "x")) { XCTAssertEqual(($0 as? SQLiteError)?.primaryCode, SQLITE_RANGE) }
    }

    func testStatementCacheReusesPreparedStatement() throws {
        let db = try openDatabase()
        let first = try db.prepare("SELECT 1")
        XCTAssertTrue(try first.step())  // left mid-rows on purpose
        let second = try db.prepare("SELECT 1")
        XCTAssertTrue(first === second)
        XCTAssertEqual(db.cachedStatementCount, 1)
        // Handed out reset: it runs from the start again.
        XCTAssertTrue(try second.step())
        XCTAssertEqual(second.int64(0), 1)
        XCTAssertFalse(try second.step())
        _ = try db.prepare("SELECT 2")
        XCTAssertEqual(db.cachedStatementCount, 2)
        XCTAssertFalse(try db.prepareUncached("SELECT 1") === first)
        XCTAssertEqual(db.cachedStatementCount, 2)
    }

    /// The cache's hint by the address of the SQL's bytes is only a hint: SQL built at run time
    /// comes and goes at addresses other SQL had before, and each gets its own statement; the
    /// same text from a literal and from a built string is one statement.
    func testStatementsFoundByTheirTextWhereverItsBytesLie() throws {
        let db = try openDatabase()
        for round in 0..<2 {
            for i in 0..<600 {
                let sql = "SELECT \(i) + \(round * 0), 'a fairly long text so that the string lives on the heap'"
                let s = try db.prepare(sql)
                XCTAssertTrue(try s.step())
                XCTAssertEqual(s.int64(0), Int64(i), sql)
            }
        }
        XCTAssertEqual(db.cachedStatementCount, 600)
        let literal = try db.prepare("SELECT 7 + 0, 'a fairly long text so that the string lives on the heap'")
        let built = try db.prepare("SELECT \(7) + \(0), 'a fairly long text so that the string lives on the heap'")
        XCTAssertTrue(literal === built)
        XCTAssertEqual(db.cachedStatementCount, 600)
    }

    func testTransactionCommitsAndRollsBackOnThrow() throws {
        struct Boom: Error {}
        let db = try openDatabase()
        try db.execute("CREATE TABLE t (v INTEGER)")
        let value = try db.transaction { () -> Int in
            try db.execute("INSERT INTO t VALUES (1)")
            return 42
        }
        XCTAssertEqual(value, 42)
        XCTAssertThrowsError(try db.transaction {
            try db.execute("INSERT INTO t VALUES (2)")
            throw Boom()
        }) { XCTAssertTrue($0 is Boom) }
        XCTAssertFalse(db.isInTransaction)
        XCTAssertEqual(try db.int64("SELECT group_concat(v) FROM t"), 1)
    }

    func testNestedTransactionRollsBackOnlyInnerWork() throws {
        struct Boom: Error {}
        let db = try openDatabase()
        try db.execute("CREATE TABLE t (v INTEGER)")
        try db.transaction {
            try db.execute("INSERT INTO t VALUES (1)")
            XCTAssertThrowsError(try db.transaction {
                try db.execute("INSERT INTO t VALUES (2)")
                throw Boom()
            })
            XCTAssertTrue(db.isInTransaction)
            try db.transaction { try db.execute("INSERT INTO t VALUES (3)") }
        }
        XCTAssertFalse(db.isInTransaction)
        XCTAssertEqual(try db.int64("SELECT sum(v) FROM t"), 4)
        XCTAssertEqual(try db.int64("SELECT count(*) FROM t"), 2)
    }

    func testChangesAndLastInsertRowID() throws {
        let db = try openDatabase()
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
        try db.execute("INSERT INTO t (v) VALUES (1), (2), (3)")
        XCTAssertEqual(db.changes, 3)
        XCTAssertEqual(db.lastInsertRowID, 3)
        let before = db.totalChanges
        try db.execute("UPDATE t SET v = 9 WHERE v >= 2")
        XCTAssertEqual(db.changes, 2)
        XCTAssertEqual(db.totalChanges, before + 2)
    }

    func testMigrationsAreIdempotentAndIncremental() throws {
        let steps = ["CREATE TABLE a (x INTEGER)", "CREATE TABLE b (y INTEGER); INSERT INTO b VALUES (7)"]
        do {
            let db = try openDatabase()
            XCTAssertEqual(try db.userVersion, 0)
            try db.migrate([steps[0]])
            XCTAssertEqual(try db.userVersion, 1)
            try db.migrate(steps)
            XCTAssertEqual(try db.userVersion, 2)
            try db.migrate(steps)  // nothing to do; would fail with "table b already exists" otherwise
            XCTAssertEqual(try db.int64("SELECT count(*) FROM b"), 1)
        }
        let reopened = try openDatabase()
        try reopened.migrate(steps)
        XCTAssertEqual(try reopened.userVersion, 2)
        XCTAssertEqual(try reopened.int64("SELECT count(*) FROM b"), 1)
    }

    func testFailingMigrationLeavesPreviousVersion() throws {
        let db = try openDatabase()
        try db.migrate(["CREATE TABLE a (x INTEGER)"])
        XCTAssertThrowsError(try db.migrate([
            "CREATE TABLE a (x INTEGER)", "CREATE TABLE c (z)", "CREATE TABLE broken (",
        ]))
        XCTAssertEqual(try db.userVersion, 1)
        XCTAssertNil(try db.int64("SELECT 1 FROM sqlite_schema WHERE name = 'c'"))
    }

    func testNewerSchemaIsRefusedWithAdvice() throws {
        let db = try openDatabase()
        try db.migrate(["CREATE TABLE a (x)", "CREATE TABLE b (y)"])
        XCTAssertThrowsError(try db.migrate(["CREATE TABLE a (x)"])) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("schema version is 2 but this program knows only up to 1"), text)
        }
    }

    func testSyntaxErrorNamesSQLAndMessage() throws {
        let db = try openDatabase()
        XCTAssertThrowsError(try db.prepare("SELEC 1")) { error in
            let e = error as! SQLiteError
            XCTAssertEqual(e.primaryCode, SQLITE_ERROR)
            XCTAssertEqual(e.sql, "SELEC 1")
            XCTAssertTrue(e.message.contains("syntax error"), e.message)
            XCTAssertFalse(e.isDiskFull)
        }
    }

    func testConstraintViolationIsRecognised() throws {
        let db = try openDatabase()
        try db.execute("CREATE TABLE t (k TEXT PRIMARY KEY)")
        let insert = try db.prepare("INSERT INTO t VALUES (?)")
        try insert.bind(1, "a")
        try insert.step()
        insert.reset()
        XCTAssertThrowsError(try insert.step()) { error in
            let e = error as! SQLiteError
            XCTAssertTrue(e.isConstraint)
            XCTAssertEqual(e.code, 1555)  // SQLITE_CONSTRAINT_PRIMARYKEY
            XCTAssertTrue(e.message.contains("UNIQUE constraint failed: t.k"), e.message)
        }
    }

    func testDiskFullIsRecognisedAndRolledBack() throws {
        let db = try openDatabase()
        try db.execute("CREATE TABLE t (b BLOB)")
        try db.execute("INSERT INTO t VALUES (x'00')")
        let pages = try XCTUnwrap(try db.int64("PRAGMA page_count"))
        XCTAssertEqual(try db.int64("PRAGMA max_page_count = \(pages + 3)"), pages + 3)
        let insert = try db.prepare("INSERT INTO t VALUES (?)")
        var caught: SQLiteError?
        do {
            try db.transaction {
                for _ in 0..<100 {
                    try insert.bind(1, [UInt8](repeating: 7, count: 4_000))
                    try insert.step()
                    insert.reset()
                }
            }
        } catch let error as SQLiteError {
            caught = error
        }
        let error = try XCTUnwrap(caught)
        XCTAssertTrue(error.isDiskFull)
        XCTAssertEqual(error.code, SQLITE_FULL)
        XCTAssertTrue(error.description.contains("database or disk is full"), error.description)
        XCTAssertTrue(error.description.contains("free space"), error.description)
        XCTAssertFalse(db.isInTransaction)
        XCTAssertEqual(try db.int64("SELECT count(*) FROM t"), 1)
    }

    func testLockedDatabaseSaysSo() throws {
        let owner = try openDatabase()
        try owner.execute("CREATE TABLE t (v)")
        let other = try openDatabase(busyTimeout: 0)
        try owner.execute("BEGIN IMMEDIATE")
        XCTAssertThrowsError(try other.transaction { try other.execute("INSERT INTO t VALUES (1)") }) { error in
            let e = error as! SQLiteError
            XCTAssertTrue(e.isBusy)
            XCTAssertEqual(e.message, "database is locked")
            XCTAssertTrue(e.description.contains("only one agent"), e.description)
        }
        XCTAssertFalse(other.isInTransaction)
        try owner.execute("COMMIT")
        try other.transaction { try other.execute("INSERT INTO t VALUES (1)") }
        XCTAssertEqual(try owner.int64("SELECT count(*) FROM t"), 1)
    }

    func testOpenInMissingDirectoryFailsWithAdvice() {
        XCTAssertThrowsError(try Database(path: directory + "/missing/state.db")) { error in
            let e = error as! SQLiteError
            XCTAssertEqual(e.primaryCode, SQLITE_CANTOPEN)
            XCTAssertTrue(e.sql.contains("missing/state.db"))
            XCTAssertTrue(e.description.contains("exists and is writable"), e.description)
        }
    }
}
