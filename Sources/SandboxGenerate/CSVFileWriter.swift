#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SandboxCore

/// Writes one CSV file through a large buffer with plain `write(2)`, under a hidden temporary
/// name (`.name.tmp`) that is renamed into place only when complete: an agent watching the folder
/// never sees half a file.
///
/// Fields are quoted (RFC 4180, `CSVField`) only when they hold a comma, a quote or a line break; the
/// check runs on the UTF-8 bytes before any transcoding (GB18030 trail bytes never collide with these).
/// A non-copyable struct rather than a class: renderers take it `inout`, so the hot appends get
/// static exclusivity checking instead of runtime access tracking (measured: ~17 % of the time).
struct CSVFileWriter: ~Copyable {
    /// Flush at a row boundary once this much is buffered (also keeps transcoder input whole).
    static let flushThreshold = 1 << 20

    let path: String
    let temporaryPath: String
    var buffer: [UInt8] = []
    private var fd: Int32
    private var atRowStart = true
    private var fieldStart = 0
    private let newline: [UInt8]
    private let transcode: (([UInt8]) -> [UInt8])?
    private(set) var bytesWritten = 0
    private(set) var rows = 0

    init(directory: String, name: String, lineEnding: LineEnding,
         transcode: (([UInt8]) -> [UInt8])?) throws(GeneratorError) {
        path = directory + "/" + name
        temporaryPath = directory + "/." + name + ".tmp"
        newline = lineEnding == .crlf ? [0x0D, 0x0A] : [0x0A]
        self.transcode = transcode
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .cannotCreate(path: temporaryPath, errno: errno) }
        buffer.reserveCapacity(CSVFileWriter.flushThreshold + 64 * 1024)
    }

    deinit {
        // Not finished (an error on the way): leave nothing behind.
        if fd >= 0 {
            close(fd)
            unlink(temporaryPath)
        }
    }

    @inline(__always)
    mutating func beginField() {
        if !atRowStart { buffer.append(0x2C) }
        atRowStart = false
        fieldStart = buffer.count
    }

    /// Quotes the field just written if it needs it (the core's `CSVField`, written in place:
    /// most fields need nothing, and are then not copied).
    @inline(__always)
    mutating func endField() {
        var i = fieldStart
        let end = buffer.count
        while i < end {
            if CSVField.needsQuotes(buffer[i]) {
                quoteField()
                return
            }
            i += 1
        }
    }

    private mutating func quoteField() {
        var quoted: [UInt8] = []
        quoted.reserveCapacity(buffer.count - fieldStart + 8)
        let start = fieldStart
        buffer.withUnsafeBufferPointer { CSVField.appendQuoted(UnsafeBufferPointer(rebasing: $0[start...]), to: &quoted) }
        buffer.removeSubrange(fieldStart...)
        buffer.append(contentsOf: quoted)
    }

    @inline(__always)
    mutating func field(_ bytes: [UInt8]) {
        beginField()
        buffer.append(contentsOf: bytes)
        endField()
    }

    @inline(__always)
    mutating func emptyField() { beginField() }

    mutating func endRow() throws(GeneratorError) {
        buffer.append(contentsOf: newline)
        atRowStart = true
        rows += 1
        if buffer.count >= CSVFileWriter.flushThreshold { try flush() }
    }

    private mutating func flush() throws(GeneratorError) {
        if buffer.isEmpty { return }
        if let transcode {
            try writeAll(transcode(buffer))
        } else {
            // Written straight from the buffer: no second reference, so `removeAll` below keeps
            // the storage (a copy-on-write here cost a fresh 1 MB mmap and its page faults per flush).
            try writeAll(buffer)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private mutating func writeAll(_ bytes: borrowing [UInt8]) throws(GeneratorError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                write(fd, raw.baseAddress! + offset, raw.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw .writeFailed(path: temporaryPath, errno: errno)
            }
            offset += n
        }
        bytesWritten += bytes.count
    }

    /// Flushes, syncs and renames into place; returns the bytes written.
    mutating func finish() throws(GeneratorError) -> Int {
        try flush()
        guard fsync(fd) == 0 else { throw .writeFailed(path: temporaryPath, errno: errno) }
        close(fd)
        fd = -1
        guard rename(temporaryPath, path) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw .renameFailed(from: temporaryPath, to: path, errno: code)
        }
        return bytesWritten
    }
}
