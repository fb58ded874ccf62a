import SandboxFormats

/// The fuzzer's input as a `ByteSource`, optionally seen through gzip (so `GzipBytes` is fuzzed
/// with the reader above it), read in small pieces so every refill path is taken.
final class FuzzBytes: ByteSource {
    private let source: ByteSource

    /// Gzip when the options' two low bits are both set (the encoding takes them otherwise).
    init(_ input: FuzzInput) {
        let plain = Plain(input.bytes)
        source = input.options & 3 == 3 ? ((try? GzipBytes(source: plain, chunkSize: 7)) ?? plain) : plain
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(UnreadableFile) -> Int { try source.read(into: buffer) }

    private final class Plain: ByteSource {
        let bytes: [UInt8]
        var offset = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        func read(into buffer: UnsafeMutableRawBufferPointer) throws(UnreadableFile) -> Int {
            let n = min(buffer.count, bytes.count - offset, 13)
            guard n > 0 else { return 0 }
            for i in 0..<n { buffer[i] = bytes[offset + i] }
            offset += n
            return n
        }
    }
}

extension FuzzInput {
    /// Bits 0–1: auto, UTF-8, GB18030 (3: auto through gzip).
    var encoding: TextEncoding { [.auto, .utf8, .gb18030][Int(options & 3) % 3] }
    /// Bits 2–4: 16…72 bytes at a time.
    var chunkSize: Int { 16 + Int((options >> 2) & 7) * 8 }
}
