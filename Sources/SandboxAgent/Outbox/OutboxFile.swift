import Glibc

/// One outbox file being written: it appears under its final name whole or not at all.
///
/// Bytes go to `.SOMETHING.tmp` (names starting with `.` are not the platform's to read), then
/// fsync, rename to the final name, fsync the folder. The final name is given only at commit:
/// its sequence number is allocated in the same database transaction that applies the file, so
/// a retried file gets the same name again and overwrites rather than duplicates. A crash before
/// the rename leaves only a temporary file, which the next start removes.
public final class OutboxFile {
    public let folder: String
    private let temporaryPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    public private(set) var lineCount = 0
    /// Bytes written to the file, and how many of them the kernel was asked to write to disk.
    private var written: Int64 = 0
    private var writebackStarted: Int64 = 0
    /// Every 8 MiB written, the kernel is asked to start writing them to disk: a pass's instruction
    /// files (560 MiB in a first pass) otherwise all waited in memory for their fsyncs at commit,
    /// one file after another (`FileSystem.startWriteback`).
    static let writebackBytes: Int64 = 8 << 20

    public init(folder: String, temporaryName: String) throws(FileSystem.Failure) {
        precondition(InboxFileName.isSafeComponent(temporaryName), "outbox names are built by the agent")
        self.folder = folder
        temporaryPath = folder + "/." + temporaryName + ".tmp"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw FileSystem.Failure(operation: "create", path: temporaryPath, code: errno) }
        buffer.reserveCapacity(1 << 16)
    }

    deinit { if fd >= 0 { close(fd); unlink(temporaryPath) } }

    /// Appends one line (a newline is added).
    public func append(line: some Collection<UInt8>) throws(FileSystem.Failure) {
        buffer.append(contentsOf: line)
        buffer.append(0x0a)
        lineCount += 1
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Appends bytes as they are (a gzip body).
    public func append(bytes: some Collection<UInt8>) throws(FileSystem.Failure) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    private func flush() throws(FileSystem.Failure) {
        try FileSystem.writeAll(fd, buffer[...], path: temporaryPath)
        written += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
        if written - writebackStarted >= Self.writebackBytes {
            FileSystem.startWriteback(fd, from: writebackStarted, bytes: written - writebackStarted)
            writebackStarted = written
        }
    }

    /// Makes the file durable under its final name.
    public func commit(as name: String) throws(FileSystem.Failure) {
        precondition(InboxFileName.isSafeComponent(name), "outbox names are built by the agent")
        try flush()
        guard fsync(fd) == 0 else { throw FileSystem.Failure(operation: "fsync", path: temporaryPath, code: errno) }
        close(fd)
        fd = -1
        try FileSystem.rename(temporaryPath, to: folder + "/" + name)
    }

    /// Drops the file; nothing appears in the outbox.
    public func discard() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
        unlink(temporaryPath)
    }

    /// Removes temporary files a crash left behind.
    public static func removeLeftovers(in folder: String) {
        guard let entries = try? FileSystem.list(folder) else { return }
        for e in entries where e.name.hasPrefix(".") && e.name.hasSuffix(".tmp") {
            unlink(folder + "/" + e.name)
        }
    }
}
