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
    private let output: DirectOutput
    private var isOpen = true
    public private(set) var lineCount = 0

    /// `direct`: past the page cache where the file system allows (`DirectOutput`), for the large
    /// files (instruction files, verification reports, as `agent.outbox_writes` says); the small
    /// ones (alerts, metrics, feed batches) go through the cache.
    public init(folder: String, temporaryName: String, direct: Bool = false) throws(FileSystem.Failure) {
        precondition(InboxFileName.isSafeComponent(temporaryName), "outbox names are built by the agent")
        self.folder = folder
        temporaryPath = folder + "/." + temporaryName + ".tmp"
        output = try DirectOutput(path: temporaryPath, direct: direct)
    }

    /// Whether the file is being written past the page cache.
    var writesDirectly: Bool { output.direct }

    deinit { if isOpen { output.close(); unlink(temporaryPath) } }

    /// Appends one line (a newline is added).
    public func append(line: some Collection<UInt8>) throws(FileSystem.Failure) {
        try append(bytes: line)
        try output.append(0x0a)
        lineCount += 1
    }

    /// Appends bytes as they are (a gzip body).
    public func append(bytes: some Collection<UInt8>) throws(FileSystem.Failure) {
        // `withContiguousStorageIfAvailable` rethrows untyped: the failure is carried out by hand.
        var failure: FileSystem.Failure?
        let contiguous: Void? = bytes.withContiguousStorageIfAvailable { b in
            do throws(FileSystem.Failure) { try output.append(UnsafeRawBufferPointer(b)) } catch { failure = error }
        }
        if contiguous == nil {
            let copy = Array(bytes)
            copy.withUnsafeBytes { b in
                do throws(FileSystem.Failure) { try output.append(b) } catch { failure = error }
            }
        }
        if let failure { throw failure }
    }

    /// Makes the file durable under its final name.
    public func commit(as name: String) throws(FileSystem.Failure) {
        precondition(InboxFileName.isSafeComponent(name), "outbox names are built by the agent")
        try output.finish()
        output.close()
        isOpen = false
        try FileSystem.rename(temporaryPath, to: folder + "/" + name)
    }

    /// Drops the file; nothing appears in the outbox.
    public func discard() {
        guard isOpen else { return }
        output.close()
        isOpen = false
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
