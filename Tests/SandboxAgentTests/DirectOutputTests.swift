import CLinux
import Foundation
import Glibc
import TestSupport
import XCTest
@testable import SandboxAgent

/// Large outbox files (instruction files, verification reports) are written past the page cache
/// where the file system allows (`DirectOutput`), the others and those on a file system that does
/// not through it, with writeback started every 8 MiB: either way the file holds exactly the bytes
/// appended, and a first pass's 560 MiB never wait dirty in memory for the commit.
final class DirectOutputTests: XCTestCase {
    /// The large files' size, and their line: 1 KiB with its newline.
    private static let megabytes = 24
    private let line = [UInt8](repeating: UInt8(ascii: "x"), count: 1_023)

    /// The control: the large file's bytes written plainly, which stay dirty in memory a while.
    private func writePlainly(_ path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        for _ in 0..<(Self.megabytes * 1_024) { _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }; _ = write(fd, "\n", 1) }
        close(fd)
    }

    /// The large file's bytes through `output`.
    private func fill(_ output: DirectOutput) throws {
        for _ in 0..<(Self.megabytes * 1_024) {
            try line.withUnsafeBytes { try output.append($0) }
            try output.append(0x0a)
        }
    }

    /// Lines of varied lengths, so that lines straddle the chunks' and the blocks' boundaries.
    private func lines(_ count: Int) -> [[UInt8]] {
        (0..<count).map { i in Array("{\"n\":\(i),\"text\":\"\(String(repeating: "信", count: i % 700))\"}".utf8) }
    }

    private func contents(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func testAnOutboxFileHoldsExactlyItsLinesWhateverTheirSizes() throws {
        let folder = try temporaryFolder(prefix: "outbox-direct")
        // Empty, one byte short of a chunk, exactly a chunk, and many chunks with a ragged end;
        // direct and through the page cache (whose chunks are smaller).
        let many = lines(3_000)
        XCTAssertGreaterThan(many.reduce(0, { $0 + $1.count + 1 }), 2 * DirectOutput.chunkBytes, "the many lines span several chunks")
        let cases: [(String, [[UInt8]])] = [
            ("empty", []),
            ("short", [[UInt8](repeating: 0x61, count: DirectOutput.chunkBytes - 2)]),
            ("whole", [[UInt8](repeating: 0x62, count: DirectOutput.chunkBytes - 1)]),
            ("cached-whole", [[UInt8](repeating: 0x63, count: DirectOutput.cachedChunkBytes - 1)]),
            ("many", many),
        ]
        for direct in [true, false] {
            for (name, lines) in cases {
                let file = try OutboxFile(folder: folder, temporaryName: name, direct: direct)
                for l in lines { try file.append(line: l) }
                try file.commit(as: name + ".jsonl")
                let expected: [UInt8] = lines.flatMap { $0 + [UInt8(0x0a)] }
                XCTAssertEqual(try contents(folder + "/" + name + ".jsonl"), expected, "\(name), direct: \(direct)")
                XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/." + name + ".tmp"), name)
            }
        }
    }

    func testBytesAppendedInPiecesOfAnyKindComeOutInOrder() throws {
        let folder = try temporaryFolder(prefix: "outbox-direct-bytes")
        let file = try OutboxFile(folder: folder, temporaryName: "verification-7", direct: true)
        var expected: [UInt8] = []
        for i in 0..<2_000 {
            let piece = [UInt8](repeating: UInt8(i % 251), count: (i * 7_919) % 3_001)
            // An array, a slice and a collection without contiguous storage.
            switch i % 3 {
            case 0: try file.append(bytes: piece)
            case 1: try file.append(bytes: piece[...])
            default: try file.append(bytes: piece.lazy.map { $0 })
            }
            expected += piece
        }
        try file.commit(as: "verification-00000007.jsonl")
        XCTAssertEqual(try contents(folder + "/verification-00000007.jsonl"), expected)
    }

    func testADiscardedFileLeavesNothing() throws {
        let folder = try temporaryFolder(prefix: "outbox-direct-discard")
        let file = try OutboxFile(folder: folder, temporaryName: "guidance-3", direct: true)
        for l in lines(1_000) { try file.append(line: l) }
        file.discard()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), [])
    }

    /// With direct I/O nothing of the file waits dirty in the page cache while it is written; the
    /// control, the same bytes written plainly, does.
    func testALargeFileIsWrittenWithoutFillingThePageCache() throws {
        let folder = try temporaryFolder(prefix: "outbox-direct-cache")
        let plain = folder + "/plain"
        writePlainly(plain)

        // Whether this file system takes direct I/O, asked apart from the type under test.
        let probe = open(folder + "/probe", O_WRONLY | O_CREAT | O_CLOEXEC | clinux_o_direct(), 0o640)
        guard probe >= 0 else { throw XCTSkip("this file system does not take direct I/O: nothing to see") }
        close(probe)
        XCTAssertTrue(try OutboxFile(folder: folder, temporaryName: "guidance-1", direct: true).writesDirectly,
                      "the file system takes direct I/O, a large outbox file should too")
        XCTAssertFalse(try OutboxFile(folder: folder, temporaryName: "alert-1").writesDirectly, "small files go through the cache")
        let output = try DirectOutput(path: folder + "/.sandbox-1.tmp", direct: true)
        XCTAssertTrue(output.direct)
        try fill(output)
        let dirty = dirtyPages(ofFileAt: folder + "/.sandbox-1.tmp")
        try output.finish()
        output.close()
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: folder + "/.sandbox-1.tmp")[.size] as? Int, Self.megabytes << 20)
        guard let waiting = dirtyPages(ofFileAt: plain), let dirty else {
            throw XCTSkip("this kernel has no cachestat(2): the pages' state cannot be seen")
        }
        guard waiting * 4_096 > UInt64(Self.megabytes / 2) << 20 else {
            throw XCTSkip("the kernel wrote the control by itself (\(waiting) pages dirty): nothing to compare")
        }
        XCTAssertEqual(dirty, 0, "direct writes left \(dirty) pages dirty (control: \(waiting))")
    }

    /// Where the file goes through the page cache, the kernel is asked to start writing it every 8
    /// MiB, so its fsync at commit waits only for the last few megabytes.
    func testAFileWrittenThroughThePageCacheIsWrittenBackAsItGrows() throws {
        let folder = try temporaryFolder(prefix: "outbox-writeback")
        let plain = folder + "/plain"
        writePlainly(plain)

        let output = try DirectOutput(path: folder + "/buffered", direct: false)
        XCTAssertFalse(output.direct)
        try fill(output)
        let written = dirtyPages(ofFileAt: folder + "/buffered")
        try output.finish()
        output.close()
        XCTAssertEqual(try contents(folder + "/buffered"), try contents(plain))

        guard let waiting = dirtyPages(ofFileAt: plain), let written else {
            throw XCTSkip("this kernel has no cachestat(2): the pages' state cannot be seen")
        }
        guard waiting * 4_096 > UInt64(Self.megabytes / 2) << 20 else {
            throw XCTSkip("the kernel wrote the control by itself (\(waiting) pages dirty): nothing to compare")
        }
        // What is dirty is at most what came after the last 8 MiB step, and the chunk not yet written.
        XCTAssertLessThanOrEqual(written * 4_096, UInt64(DirectOutput.writebackBytes),
                                 "\(written) pages left dirty (control: \(waiting))")
    }
}
