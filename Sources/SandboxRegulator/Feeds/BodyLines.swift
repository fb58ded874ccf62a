#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SandboxFormats

/// The lines of a request body, read from a `ByteSource` a chunk at a time: memory is one line
/// (at most `maxLineBytes`) and one chunk, whatever the body's size. The whole inflated body used
/// to be held, up to 512 MiB of it per request (issue 17 item 5).
///
/// Lines end at LF; a CR before it is dropped. A line longer than `maxLineBytes` is skipped
/// without being held and reported as `.tooLong`, so one line cannot take the memory either.
final class BodyLines {
    enum Line: Equatable {
        /// The line's bytes, valid until the next call to `next()`.
        case text(ArraySlice<UInt8>)
        case tooLong
    }

    private let source: ByteSource
    let maxLineBytes: Int
    private let chunk: UnsafeMutableRawBufferPointer
    /// Bytes read and not yet returned start at `start`; none before `scanned` is a LF.
    private var pending: [UInt8] = []
    private var start = 0
    private var scanned = 0
    /// Inside a line longer than the bound: its bytes are dropped until its LF.
    private var skipping = false
    private var sourceDone = false
    /// The number of the line last returned (1-based).
    private(set) var lineNumber = 0

    init(source: ByteSource, maxLineBytes: Int, chunkSize: Int = 64 * 1024) {
        precondition(maxLineBytes > 0 && chunkSize > 0)
        self.source = source
        self.maxLineBytes = maxLineBytes
        chunk = .allocate(byteCount: chunkSize, alignment: 16)
        pending.reserveCapacity(min(maxLineBytes, 1 << 20) + chunkSize)
    }

    deinit { chunk.deallocate() }

    /// What `BodyLines` may hold at most besides its caller's items: the line and a chunk.
    static func workingSet(maxLineBytes: Int, chunkSize: Int = 64 * 1024) -> Int { maxLineBytes + 2 * chunkSize }

    /// The next line and its number; nil at the end of the body. An empty final line (the body
    /// ends with LF) is not a line.
    func next() throws(UnreadableFile) -> (number: Int, line: Line)? {
        while true {
            if let lf = findLF() { return take(upTo: lf, next: lf + 1) }
            scanned = pending.count
            if skipping || pending.count - start > maxLineBytes {
                skipping = true
                start = pending.count
                scanned = start
            }
            if sourceDone {
                guard start < pending.count || skipping else { return nil }
                return take(upTo: pending.count, next: pending.count)
            }
            if start > 0 {
                pending.removeSubrange(0..<start)
                scanned -= start
                start = 0
            }
            let n = try source.read(into: chunk)
            if n == 0 { sourceDone = true } else {
                pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
            }
        }
    }

    /// Returns the line that ends at `end` and goes on at `next`.
    private func take(upTo end: Int, next: Int) -> (number: Int, line: Line) {
        var line = pending[start..<end]
        start = next
        scanned = next
        lineNumber += 1
        if line.last == 0x0D { line = line.dropLast() }
        if skipping || line.count > maxLineBytes {
            skipping = false
            return (lineNumber, .tooLong)
        }
        return (lineNumber, .text(line))
    }

    private func findLF() -> Int? {
        guard scanned < pending.count else { return nil }
        return pending.withUnsafeBytes { bytes -> Int? in
            guard let found = memchr(bytes.baseAddress! + scanned, 0x0A, pending.count - scanned) else { return nil }
            return UnsafeRawPointer(found) - bytes.baseAddress!
        }
    }
}
