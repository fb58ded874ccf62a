#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a file on disk, read with plain `read(2)` calls into the caller's buffer.
public final class FileBytes: ByteSource {
    public let path: String
    private let fd: Int32
    /// The file's size when it was opened (0 if unknown).
    public let size: Int
    /// Bytes read so far, for a progress line: against `size` they give the rate and the time
    /// left, gzip included (these are the compressed bytes). Read it on the reading thread.
    public private(set) var bytesRead = 0

    /// Opens `path` for reading; the error names the path and the system's reason.
    public init(path: String) throws(UnreadableFile) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw UnreadableFile("cannot open \(path): \(FileBytes.errorText())") }
        self.fd = fd
        self.path = path
        var st = stat()
        size = fstat(fd, &st) == 0 ? Int(st.st_size) : 0
    }

    deinit { close(fd) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(UnreadableFile) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            #if canImport(Glibc)
            let n = Glibc.read(fd, base, buffer.count)
            #else
            let n = Darwin.read(fd, base, buffer.count)
            #endif
            if n >= 0 {
                bytesRead += n
                return n
            }
            if errno == EINTR { continue }
            throw UnreadableFile("cannot read \(path): \(FileBytes.errorText())")
        }
    }

    /// The first `count` bytes of the file (fewer if it is shorter), without moving the read
    /// position: how gzip is told from its magic bytes whatever the file is called.
    public func prefix(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, 0) }
        return Array(bytes.prefix(max(n, 0)))
    }

    static func errorText() -> String { String(cString: strerror(errno)) }
}
