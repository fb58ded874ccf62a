import CLinux
import Foundation
import Glibc
import TestSupport
import XCTest
@testable import SandboxStorage

/// The checkpoint VFS (`Sources/CSQLiteCheckpoint`): a checkpoint's new pages go directly, past the
/// page cache, gathered into large writes, and read back whole; pages inside the file's old end go
/// through the cache; a run the kernel refuses is written through the cache; and the process keeps
/// its locks on a database while any connection has it open, whatever closes.
final class CheckpointWritesTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = try temporaryFolder(prefix: "checkpoint-tests", name)
    }

    override func tearDown() {
        CheckpointWrites.setDirect(true)
        CheckpointWrites.failDirectWrites(count: 0, error: 0)
        super.tearDown()
    }

    /// Row `id`'s 6,000 bytes in its `version`: its number and version first, then words made of
    /// both, so a page written to the wrong place, twice or not at all cannot read back right. A
    /// row takes a page of its own (8 KiB pages keep up to 8,157 bytes of a row in the page).
    func payload(_ id: Int, version: Int = 0) -> [UInt8] {
        let seed = UInt64(id) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(version) &* 0xBF58_476D_1CE4_E5B9
        var words = [UInt64](repeating: 0, count: 750)
        words[0] = UInt64(id)
        words[1] = UInt64(version)
        for k in 2..<750 { words[k] = seed &+ UInt64(k) &* 0x94D0_49BB_1331_11EB }
        return words.withUnsafeBytes { Array($0) }
    }

    /// A database whose small page cache spills a transaction's pages to the WAL, with no automatic
    /// checkpoint: the test says when.
    func database(_ name: String = "db.sqlite") throws -> Database {
        let db = try Database(path: directory + "/" + name)
        try db.execute("""
            PRAGMA cache_size = -512; PRAGMA wal_autocheckpoint = 0;
            CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, b BLOB NOT NULL)
            """)
        return db
    }

    func insert(_ db: Database, _ ids: Range<Int>, version: Int = 0) throws {
        try db.transaction {
            let insert = try db.prepare("INSERT INTO t (id, b) VALUES (?, ?)")
            for id in ids {
                try insert.bind(1, id)
                try insert.bind(2, payload(id, version: version))
                _ = try insert.step()
                insert.reset()
            }
        }
    }

    /// Rewrites the rows in place: the same sizes, so their pages stay where they are.
    func update(_ db: Database, _ ids: Range<Int>, version: Int) throws {
        try db.transaction {
            let update = try db.prepare("UPDATE t SET b = ? WHERE id = ?")
            for id in ids {
                try update.bind(1, payload(id, version: version))
                try update.bind(2, id)
                _ = try update.step()
                update.reset()
            }
        }
    }

    /// A whole checkpoint, the WAL emptied; fails the test if a reader kept it from finishing.
    func checkpoint(_ db: Database) throws -> CheckpointWrites.Counts {
        let before = CheckpointWrites.counts
        let statement = try db.prepareUncached("PRAGMA wal_checkpoint(TRUNCATE)")
        XCTAssertTrue(try statement.step())
        XCTAssertEqual(statement.int64(0), 0, "the checkpoint was kept from finishing")
        let after = CheckpointWrites.counts
        return CheckpointWrites.Counts(directBytes: after.directBytes - before.directBytes,
                                       directWrites: after.directWrites - before.directWrites,
                                       cachedBytes: after.cachedBytes - before.cachedBytes,
                                       fallbacks: after.fallbacks - before.fallbacks)
    }

    /// Every row read back by a new connection, which reads the database file (the WAL is empty).
    func assertRows(_ path: String, _ expected: [Range<Int>: Int], file: StaticString = #filePath, line: UInt = #line) throws {
        let reader = try Database(path: path, readOnly: true)
        XCTAssertEqual(try reader.int64("SELECT count(*) FROM t"), Int64(expected.keys.map(\.count).reduce(0, +)), file: file, line: line)
        let select = try reader.prepare("SELECT b FROM t WHERE id = ?")
        for (ids, version) in expected {
            for id in ids {
                try select.bind(1, id)
                XCTAssertTrue(try select.step(), "row \(id) missing", file: file, line: line)
                if select.blob(0) != payload(id, version: version) {
                    XCTFail("row \(id) does not read back as version \(version)", file: file, line: line)
                    return
                }
                select.reset()
            }
        }
        let integrity = try reader.prepareUncached("PRAGMA integrity_check")
        XCTAssertTrue(try integrity.step())
        XCTAssertEqual(integrity.string(0), "ok", file: file, line: line)
    }

    /// Whether the file system of the test's folder takes `O_DIRECT` (tmpfs before Linux 6.6 does not).
    func takesDirectWrites() -> Bool {
        let probe = directory + "/probe"
        let fd = open(probe, O_WRONLY | O_CREAT | O_CLOEXEC | clinux_o_direct(), 0o600)
        guard fd >= 0 else { return false }
        close(fd)
        unlink(probe)
        return true
    }

    func testACheckpointsNewPagesGoDirectlyInLargeWritesAndReadBackWhole() throws {
        let db = try database()
        let path = db.path
        try insert(db, 0..<4_000)  // 4,000 pages, 33 MB, all of it past the file's end
        let written = try checkpoint(db)
        withExtendedLifetime(db) {}
        if takesDirectWrites() {
            XCTAssertGreaterThanOrEqual(written.directBytes, 4_000 * 8_192, "the new pages go directly")
            XCTAssertLessThan(written.cachedBytes, 1_000_000, "only what lay inside the old end goes through the cache")
            XCTAssertLessThan(written.directWrites, 40, "consecutive pages gathered into writes of up to 1 MiB")
            XCTAssertEqual(written.fallbacks, 0)
        } else {
            XCTAssertEqual(written.directBytes, 0)
            XCTAssertGreaterThanOrEqual(written.cachedBytes, 4_000 * 8_192)
        }
        try assertRows(path, [0..<4_000: 0])
    }

    func testTheNewPagesAreNotLeftInThePageCache() throws {
        guard takesDirectWrites() else { throw XCTSkip("this file system takes no direct writes") }
        var db: Database? = try database()
        let path = db!.path
        try insert(db!, 0..<4_000)
        _ = try checkpoint(db!)
        db = nil  // closed before the file is opened to be asked: see cachedPages
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        guard let cached = cachedPages(ofFileAt: path) else { throw XCTSkip("this kernel has no cachestat(2)") }
        XCTAssertLessThan(Int(cached), size / 4096 / 10, "of \(size / 4096) pages, \(cached) are in the page cache")
        try assertRows(path, [0..<4_000: 0])
    }

    func testPagesInsideTheFilesOldEndGoThroughTheCache() throws {
        let db = try database()
        try insert(db, 0..<2_000)
        _ = try checkpoint(db)
        // Pages rewritten in place (a reader may have them cached), and new ones past the end.
        try update(db, 0..<2_000, version: 1)
        try insert(db, 2_000..<3_000)
        let written = try checkpoint(db)
        XCTAssertGreaterThan(written.cachedBytes, 2_000 * 8_192, "rewritten pages through the cache")
        if takesDirectWrites() {
            XCTAssertGreaterThanOrEqual(written.directBytes, 1_000 * 8_192, "new pages directly")
            XCTAssertLessThan(written.directBytes, 1_100 * 8_192, "no rewritten page directly")
        }
        try assertRows(db.path, [0..<2_000: 1, 2_000..<3_000: 0])
    }

    func testARunTheDiskFailsIsWrittenThroughTheCache() throws {
        guard takesDirectWrites() else { throw XCTSkip("this file system takes no direct writes") }
        let db = try database()
        try insert(db, 0..<2_000)
        CheckpointWrites.failDirectWrites(count: 1, error: EIO)
        let written = try checkpoint(db)
        XCTAssertEqual(written.fallbacks, 1)
        XCTAssertGreaterThan(written.cachedBytes, 0, "the failed run, through the cache")
        XCTAssertGreaterThan(written.directBytes, 1_800 * 8_192, "the other runs still directly")
        try assertRows(db.path, [0..<2_000: 0])
    }

    func testAFileSystemThatRefusesDirectWritesIsNotAskedAgain() throws {
        guard takesDirectWrites() else { throw XCTSkip("this file system takes no direct writes") }
        var db: Database? = try database()
        let path = db!.path
        try insert(db!, 0..<2_000)
        CheckpointWrites.failDirectWrites(count: 1, error: EINVAL)
        let refused = try checkpoint(db!)
        XCTAssertGreaterThanOrEqual(refused.fallbacks, 1)
        XCTAssertLessThanOrEqual(refused.directBytes, 4 << 20,
                                 "after EINVAL only runs already handed over go directly, the rest through the cache")
        XCTAssertGreaterThan(refused.cachedBytes, 2_000 * 8_192 - (4 << 20))
        try insert(db!, 2_000..<3_000)
        let next = try checkpoint(db!)
        XCTAssertEqual(next.directBytes, 0, "nor is the file asked again while it stays open")
        XCTAssertGreaterThan(next.cachedBytes, 1_000 * 8_192)
        try assertRows(path, [0..<3_000: 0])
        // Opened anew, the file is asked again.
        db = nil
        let reopened = try database()
        try insert(reopened, 3_000..<4_000)
        XCTAssertGreaterThanOrEqual(try checkpoint(reopened).directBytes, 1_000 * 8_192)
        try assertRows(path, [0..<4_000: 0])
    }

    func testTurnedOffEverythingGoesThroughTheCache() throws {
        CheckpointWrites.setDirect(false)
        let db = try database()
        try insert(db, 0..<2_000)
        let written = try checkpoint(db)
        XCTAssertEqual(written.directBytes, 0)
        XCTAssertGreaterThanOrEqual(written.cachedBytes, 2_000 * 8_192)
        try assertRows(db.path, [0..<2_000: 0])
    }

    // MARK: - The process's locks

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

    func testAConnectionClosingLeavesTheOthersLocksInPlace() throws {
        let kept = try database()
        var closing: Database? = try database()
        try insert(closing!, 0..<1_000)
        _ = try checkpoint(closing!)  // the VFS's own descriptor is open and used
        XCTAssertEqual(try sharedLockHolder(kept.path), getpid())
        closing = nil
        XCTAssertEqual(try sharedLockHolder(kept.path), getpid(),
                       "closing one connection dropped the process's lock that the other relies on")
        XCTAssertEqual(try kept.int64("SELECT count(*) FROM t"), 1_000)
    }

    func testTheWritebackThreadLeavesTheLocksInPlace() throws {
        let db = try database()
        db.startsWritebackWhileWriting()
        try db.transaction {
            try insert(db, 0..<2_000)
            // Two of the thread's ticks (it opens and closes the WAL, never the database).
            let ticks = db.writeback?.ticksMade ?? 0
            let deadline = Date().addingTimeInterval(10)
            while (db.writeback?.ticksMade ?? 0) < ticks + 2 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            XCTAssertGreaterThanOrEqual(db.writeback?.ticksMade ?? 0, ticks + 2)
            XCTAssertEqual(try sharedLockHolder(db.path), getpid(), "a tick dropped the process's lock on the database")
        }
    }
}
