import Crypto
import Glibc
import SandboxCore

/// SHA-256 of a file, streamed: recognises an export dropped twice whatever its name.
enum FileDigest {
    static func sha256(path: String) throws(FileSystem.Failure) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystem.Failure(operation: "open", path: path, code: errno) }
        defer { close(fd) }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw FileSystem.Failure(operation: "read", path: path, code: errno) }
            if n == 0 { break }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        return Hex.encode(hasher.finalize())
    }
}
