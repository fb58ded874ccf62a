import Foundation
import Glibc
import TestSupport
import XCTest
@testable import SandboxAgent

/// A large outbox file has its bytes on their way to disk as it is written, so its fsync at
/// commit waits only for the last few megabytes (a first pass writes 560 MiB of them).
final class OutboxFileWritebackTests: XCTestCase {
    func testAFileOfManyMegabytesIsWrittenBackAsItGrows() throws {
        let folder = try temporaryFolder(prefix: "outbox-writeback")
        let line = [UInt8](repeating: UInt8(ascii: "x"), count: 1_023)
        let megabytes = 24

        // The control: the same bytes written plainly stay dirty in memory.
        let plain = folder + "/plain"
        let fd = open(plain, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        for _ in 0..<(megabytes * 1_024) { _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }; _ = write(fd, "\n", 1) }
        close(fd)

        let file = try OutboxFile(folder: folder, temporaryName: "sandbox-1")
        for _ in 0..<(megabytes * 1_024) { try file.append(line: line) }
        let written = dirtyPages(ofFileAt: folder + "/.sandbox-1.tmp")
        try file.commit(as: "sandbox-00000001.jsonl")
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: folder + "/sandbox-00000001.jsonl")[.size] as? Int,
                       megabytes << 20)

        guard let waiting = dirtyPages(ofFileAt: plain), let written else {
            throw XCTSkip("this kernel has no cachestat(2): the pages' state cannot be seen")
        }
        let page = UInt64(sysconf(Int32(_SC_PAGESIZE)))
        guard waiting * page > UInt64(megabytes / 2) << 20 else {
            throw XCTSkip("the kernel wrote the control by itself (\(waiting) pages dirty): nothing to compare")
        }
        // What is dirty is at most what came after the last 8 MiB step, and the 64 KiB buffer.
        XCTAssertLessThanOrEqual(written * page, UInt64(OutboxFile.writebackBytes),
                                 "\(written) pages left dirty (control: \(waiting))")
    }
}
