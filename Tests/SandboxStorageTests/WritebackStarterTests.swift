import Foundation
import Glibc
import TestSupport
import XCTest
@testable import SandboxStorage

/// The writeback thread: a long transaction has the kernel start writing the WAL as it goes, a
/// short one, even many back to back, has it start none, it leaves the process's locks on the
/// database in place, and it ends with its connection.
final class WritebackStarterTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = try temporaryFolder(prefix: "writeback-tests", name)
    }

    /// A database whose small page cache spills a transaction's pages to the WAL as it goes.
    func database(_ name: String, writeback: Bool) throws -> Database {
        let db = try Database(path: directory + "/" + name)
        if writeback { db.startsWritebackWhileWriting() }
        try db.execute("PRAGMA cache_size = -256; CREATE TABLE t (b BLOB NOT NULL)")
        return db
    }

    /// Inserts 16 MB in the open transaction.
    func fill(_ db: Database) throws {
        let insert = try db.prepare("INSERT INTO t VALUES (randomblob(8000))")
        for _ in 0..<2_000 {
            _ = try insert.step()
            insert.reset()
        }
    }

    func testALongTransactionHasTheWALWrittenAsItGoesAndShortOnesStartNone() throws {
        let db = try database("with.db", writeback: true)
        // Short transactions back to back for 350 ms: the thread finds one open at most ticks,
        // but never the same one it found at the tick's start.
        var short = 0
        let shortUntil = Date().addingTimeInterval(0.35)
        while Date() < shortUntil {
            try db.transaction { try db.execute("INSERT INTO t VALUES (x'00')") }
            short += 1
        }
        XCTAssertEqual(db.writeback?.ticksMade, 0, "transactions shorter than a tick start no writeback (\(short) of them)")

        // Without the thread, the spilled pages wait in memory for the commit's fsync.
        let control = try database("without.db", writeback: false)
        XCTAssertNil(control.writeback)
        let waiting = try control.transaction { () throws -> UInt64? in
            try fill(control)
            Thread.sleep(forTimeInterval: 0.35)
            return dirtyPages(ofFileAt: control.path + "-wal")
        }
        let written = try db.transaction { () throws -> UInt64? in
            try fill(db)
            // Two ticks after the last page was written (about 200 ms; waited for, not assumed, so
            // a loaded machine that runs the thread late does not fail the test).
            let filled = db.writeback?.ticksMade ?? 0
            let deadline = Date().addingTimeInterval(10)
            while (db.writeback?.ticksMade ?? 0) < filled + 2 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            XCTAssertGreaterThanOrEqual(db.writeback?.ticksMade ?? 0, filled + 2, "a long transaction has ticks of 100 ms")
            return dirtyPages(ofFileAt: db.path + "-wal")
        }
        guard let waiting, let written else { throw XCTSkip("this kernel has no cachestat(2): the pages' state cannot be seen") }
        guard waiting > 1_000 else {
            throw XCTSkip("the kernel wrote the control's WAL by itself (\(waiting) pages dirty): nothing to compare")
        }
        XCTAssertEqual(written, 0, "every page spilled before the last tick is written or on its way (control: \(waiting) dirty)")
        XCTAssertEqual(try db.int64("SELECT count(*) FROM t"), Int64(2_000 + short))
    }

    /// The process that holds a read lock on the range where SQLite's connections take their
    /// SHARED locks (`PENDING_BYTE + 2`, 510 bytes), asked from another process (`F_GETLK` does not
    /// see the asking process's own locks); 0 when none does. In WAL mode every open connection
    /// holds one: it keeps another process from deleting the WAL while it is in use.
    func sharedLockHolder(_ path: String) throws -> Int32 {
        let script = """
            import fcntl, os, struct, sys
            fd = os.open(sys.argv[1], os.O_RDONLY)
            asked = struct.pack('hhqqi4x', fcntl.F_WRLCK, os.SEEK_SET, 0x40000002, 510, 0)
            kind, _, _, _, pid = struct.unpack('hhqqi4x', fcntl.fcntl(fd, fcntl.F_GETLK, asked))
            print(0 if kind == fcntl.F_UNLCK else pid)
            """
        let (status, output) = try runToCompletion(["python3", "-c", script, path])
        XCTAssertEqual(status, 0, output)
        return Int32(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// Closing any descriptor of a file drops every POSIX lock the process holds on it: a thread
    /// that opened and closed the database at its ticks took away the lock that keeps another
    /// process from deleting the WAL under the transaction (it did, before issue 16, session 45).
    func testTheThreadLeavesTheProcesssLockOnTheDatabaseInPlace() throws {
        let db = try database("locks.db", writeback: true)
        XCTAssertEqual(try sharedLockHolder(db.path), getpid())
        try db.transaction {
            try fill(db)
            let ticks = db.writeback?.ticksMade ?? 0
            let deadline = Date().addingTimeInterval(10)
            while (db.writeback?.ticksMade ?? 0) < ticks + 2 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            XCTAssertGreaterThanOrEqual(db.writeback?.ticksMade ?? 0, ticks + 2)
            XCTAssertEqual(try sharedLockHolder(db.path), getpid(), "a tick dropped the process's lock on the database")
        }
    }

    func testTheThreadEndsWithItsConnection() throws {
        var db: Database? = try database("closing.db", writeback: true)
        weak let starter = db?.writeback
        XCTAssertNotNil(starter)
        try db?.transaction { try db?.execute("INSERT INTO t VALUES (x'00')") }
        db = nil
        // The thread lets go of the starter when it sees the stop; give it a moment to be scheduled.
        let deadline = Date().addingTimeInterval(5)
        while starter != nil && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        XCTAssertNil(starter, "the writeback thread outlived its connection")
    }

    func testReadOnlyAndInMemoryConnectionsHaveNoThread() throws {
        _ = try database("ro.db", writeback: false)
        let reader = try Database(path: directory + "/ro.db", readOnly: true)
        reader.startsWritebackWhileWriting()
        XCTAssertNil(reader.writeback)
        let memory = try Database(path: ":memory:")
        memory.startsWritebackWhileWriting()
        XCTAssertNil(memory.writeback)
    }
}
