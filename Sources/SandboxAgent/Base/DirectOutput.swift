import CLinux
import Glibc

/// A new file written past the kernel's page cache (`O_DIRECT`), in whole aligned chunks.
///
/// Why: a pack's first pass writes 560 MiB of instruction files. Written through the page cache,
/// every byte is first copied into pages the kernel must find for it, on the writing thread: on
/// this project's VM, whose free memory the host takes back, 512 MiB cost 1.3–1.6 s of system
/// CPU that way, and 0.04 s with `O_DIRECT` (0.2–0.3 s waiting for the disk instead), `dd` on the
/// benchmarks' disk (docs/benchmarks.md, issue 16, session 44). On any host the copy is CPU the
/// pass's other threads could use, and pages that evict others. Nothing reads the file back while
/// it is written.
///
/// Bytes gather in a chunk of `chunkBytes` aligned to `alignment`; each full chunk is written as
/// it is, straight to the disk. The last, partial chunk is written through the page cache
/// (`O_DIRECT` wants whole blocks) when the file is finished. Where the file system refuses
/// `O_DIRECT` (at the open or at a write), the file is written the usual way from then on: the
/// same bytes, only slower. A file asked for through the cache from the start gathers
/// `cachedChunkBytes` a write. Durability is unchanged: `finish` ends with the fsync that made the
/// bytes durable before.
final class DirectOutput {
    let path: String
    private(set) var fd: Int32
    /// Whether the descriptor still writes past the page cache.
    private(set) var direct: Bool
    private let chunk: UnsafeMutableRawBufferPointer
    private var filled = 0
    /// Bytes handed to the kernel so far.
    private(set) var written: Int64 = 0
    /// Of those, how many the kernel was asked to start writing to disk (buffered writes only).
    private var writebackStarted: Int64 = 0

    /// 512 KiB for direct writes: the benchmarks' disk took 512 MiB in 0.19–0.27 s in 1 MiB or 8
    /// MiB writes alike; a first pass has six or seven files open, each holding one. A file
    /// written through the page cache from the start gathers 64 KiB a write.
    static let chunkBytes = 512 << 10
    static let cachedChunkBytes = 64 << 10
    /// This file's chunk: `chunkBytes` or `cachedChunkBytes`.
    private let capacity: Int
    /// Direct I/O wants buffers, lengths and offsets aligned to the device's logical block
    /// (512 bytes, or 4 KiB on newer disks): 4 KiB satisfies both.
    static let alignment = 4096
    /// Buffered writes ask the kernel to start writing every 8 MiB (`FileSystem.startWriteback`):
    /// without it all of a pass's files waited in memory for their fsyncs at commit.
    static let writebackBytes: Int64 = 8 << 20

    /// Creates (or truncates) the file at `path`; `direct: false` writes it through the page cache
    /// from the start.
    init(path: String, permissions: mode_t = 0o640, direct: Bool) throws(FileSystem.Failure) {
        self.path = path
        let flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC
        var fd: Int32 = -1
        var isDirect = false
        if direct {
            fd = open(path, flags | clinux_o_direct(), permissions)
            isDirect = fd >= 0
        }
        // EINVAL: a file system without direct I/O (tmpfs before Linux 6.6, some FUSE ones).
        if fd < 0 { fd = open(path, flags, permissions) }
        guard fd >= 0 else { throw FileSystem.Failure(operation: "create", path: path, code: errno) }
        self.fd = fd
        self.direct = isDirect
        capacity = direct ? Self.chunkBytes : Self.cachedChunkBytes
        chunk = .allocate(byteCount: capacity, alignment: Self.alignment)
    }

    deinit {
        chunk.deallocate()
        if fd >= 0 { Glibc.close(fd) }
    }

    /// Appends bytes; a full chunk is written.
    func append(_ bytes: UnsafeRawBufferPointer) throws(FileSystem.Failure) {
        var from = 0
        while from < bytes.count {
            let n = min(bytes.count - from, capacity - filled)
            (chunk.baseAddress! + filled).copyMemory(from: bytes.baseAddress! + from, byteCount: n)
            filled += n
            from += n
            if filled == capacity { try writeChunk() }
        }
    }

    func append(_ byte: UInt8) throws(FileSystem.Failure) {
        chunk[filled] = byte
        filled += 1
        if filled == capacity { try writeChunk() }
    }

    /// Writes what is left and syncs the file to disk; the descriptor stays open.
    func finish() throws(FileSystem.Failure) {
        if filled > 0 {
            // The tail is not a whole number of blocks: written through the page cache.
            if direct { leaveDirect() }
            try writeChunk()
        }
        guard fsync(fd) == 0 else { throw FileSystem.Failure(operation: "fsync", path: path, code: errno) }
    }

    /// Closes the descriptor (after `finish`, or to drop the file).
    func close() {
        guard fd >= 0 else { return }
        Glibc.close(fd)
        fd = -1
    }

    private func writeChunk() throws(FileSystem.Failure) {
        var offset = 0
        while offset < filled {
            let n = write(fd, chunk.baseAddress! + offset, filled - offset)
            if n < 0 {
                if errno == EINTR { continue }
                // A file system that opened the file for direct I/O but refuses this write:
                // the rest goes through the page cache.
                if errno == EINVAL && direct { leaveDirect(); continue }
                throw FileSystem.Failure(operation: "write", path: path, code: errno)
            }
            offset += n
            // A short direct write leaves the file's end off the block boundary.
            if offset < filled && direct { leaveDirect() }
        }
        written += Int64(filled)
        filled = 0
        if !direct && written - writebackStarted >= Self.writebackBytes {
            FileSystem.startWriteback(fd, from: writebackStarted, bytes: written - writebackStarted)
            writebackStarted = written
        }
    }

    /// Writes through the page cache from now on.
    private func leaveDirect() {
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~clinux_o_direct()) }
        direct = false
        writebackStarted = written
    }
}
