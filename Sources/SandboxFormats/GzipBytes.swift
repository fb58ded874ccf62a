import CZlib

/// The decompressed bytes of a gzip stream, including files of several concatenated members
/// (what `cat a.gz b.gz` or a restarted exporter produces).
public final class GzipBytes: ByteSource {
    private let source: ByteSource
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var inputDone = false
    private var memberEnded = false

    /// `chunkSize` is how many compressed bytes are read from `source` at a time.
    public init(source: ByteSource, chunkSize: Int = 256 * 1024) throws(UnreadableFile) {
        self.source = source
        input = .allocate(byteCount: max(chunkSize, 1), alignment: 16)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 + 32: a full window, and zlib detects the gzip (or zlib) header itself.
        guard czlib_inflate_init2(stream, 15 + 32) == Z_OK else {
            stream.deallocate()
            input.deallocate()
            throw UnreadableFile("cannot start gzip decompression (zlib out of memory)")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(UnreadableFile) -> Int {
        guard let outBase = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            if stream.pointee.avail_in == 0 && !inputDone {
                let n = try source.read(into: input)
                if n == 0 { inputDone = true }
                stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_in = UInt32(n)
            }
            if memberEnded {
                if stream.pointee.avail_in == 0 {
                    if inputDone { return 0 }
                    continue
                }
                let next = stream.pointee.next_in[0]
                if next == 0 {
                    // Zero padding after the last member (tape-style blocks): nothing more to read.
                    stream.pointee.avail_in = 0
                    inputDone = true
                    return 0
                }
                guard next == 0x1f else {
                    throw UnreadableFile("unexpected bytes after the end of the gzip data: the file is damaged; compress it again with gzip")
                }
                inflateReset(stream)
                memberEnded = false
            }
            stream.pointee.next_out = outBase.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
            let availInBefore = stream.pointee.avail_in
            let status = inflate(stream, Z_NO_FLUSH)
            let produced = buffer.count - Int(stream.pointee.avail_out)
            switch status {
            case Z_STREAM_END:
                memberEnded = true
            case Z_OK:
                break
            case Z_BUF_ERROR:
                // No progress possible: more input is needed, or the input is over too early.
                if inputDone && stream.pointee.avail_in == 0 { throw truncated() }
            case Z_NEED_DICT, Z_DATA_ERROR:
                throw UnreadableFile("corrupt gzip data (\(message())): the file is damaged; export and compress it again")
            case Z_MEM_ERROR:
                throw UnreadableFile("out of memory while decompressing gzip data")
            default:
                throw UnreadableFile("gzip decompression failed (zlib status \(status), \(message()))")
            }
            if produced > 0 { return produced }
            if status == Z_OK && inputDone && stream.pointee.avail_in == 0 && availInBefore == 0 {
                throw truncated()
            }
        }
    }

    private func truncated() -> UnreadableFile {
        UnreadableFile("gzip data is truncated: the file ends before the end of the compressed stream (cut off during upload?); send it again")
    }

    private func message() -> String {
        stream.pointee.msg.map { String(cString: $0) } ?? "no detail"
    }
}
