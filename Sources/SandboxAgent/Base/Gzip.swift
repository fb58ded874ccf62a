import CZlib

/// gzip compression of a feed batch in memory, in one call (batches are bounded in size).
public enum Gzip {
    /// A complete gzip member (RFC 1952) holding `bytes`; `level` 1 (fast) … 9 (small), or -1 for zlib's default.
    public static func compress(_ bytes: [UInt8], level: Int32 = 1) -> [UInt8] {
        precondition((-1...9).contains(level), "gzip level must be -1…9, got \(level)")
        // zlib keeps a pointer back to its z_stream and checks it on every call, so the stream
        // needs a fixed address, which an inout local does not promise.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // windowBits 15 + 16: a full window, with the gzip header and trailer instead of zlib's.
        let status = czlib_deflate_init2(stream, level, 15 + 16)
        // Only out of memory can fail here; the parameters are valid by construction.
        precondition(status == Z_OK, "zlib deflateInit2 failed (\(status)): out of memory")
        defer {
            deflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }

        // deflateBound is exact enough for a single Z_FINISH call; the loop covers inputs over 4 GiB.
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, uLong(bytes.count))) + 32)
        var produced = 0
        bytes.withUnsafeBufferPointer { input in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            var remaining = input.count
            while true {
                let chunk = min(remaining, Int(UInt32.max))
                stream.pointee.avail_in = UInt32(chunk)
                let flush = remaining == chunk ? Z_FINISH : Z_NO_FLUSH
                var result: Int32
                repeat {
                    result = step(stream, &output, &produced, grow: max(output.count / 2, 1024)) { deflate($0, flush) }
                    precondition(result == Z_OK || result == Z_STREAM_END || result == Z_BUF_ERROR,
                                 "zlib deflate failed (\(result))")
                } while (flush == Z_FINISH && result != Z_STREAM_END) || (flush != Z_FINISH && stream.pointee.avail_in > 0)
                remaining -= chunk
                if flush == Z_FINISH { break }
            }
        }
        output.removeSubrange(produced...)
        return output
    }

    /// True for bytes that start like a gzip member (RFC 1952's magic 1f 8b).
    public static func isCompressed(_ bytes: some Collection<UInt8>) -> Bool {
        var i = bytes.makeIterator()
        return i.next() == 0x1f && i.next() == 0x8b
    }

    /// The bytes of one gzip member made by `compress`; nil if they are not a complete member.
    public static func decompress(_ bytes: [UInt8]) -> [UInt8]? {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard czlib_inflate_init2(stream, 15 + 16) == Z_OK else {
            stream.deallocate()
            return nil
        }
        defer {
            inflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        var output = [UInt8](repeating: 0, count: max(bytes.count * 8, 4096))
        var produced = 0
        var result: Int32 = Z_OK
        bytes.withUnsafeBufferPointer { input in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.pointee.avail_in = UInt32(input.count)
            repeat {
                result = step(stream, &output, &produced, grow: output.count) { inflate($0, Z_NO_FLUSH) }
            } while result == Z_OK
        }
        guard result == Z_STREAM_END else { return nil }
        output.removeSubrange(produced...)
        return output
    }

    /// One zlib call into the free end of `output` (grown by `grow` bytes first when it is full);
    /// `produced` advances by what the call wrote. Returns the call's status.
    private static func step(_ stream: UnsafeMutablePointer<z_stream>, _ output: inout [UInt8], _ produced: inout Int,
                             grow: Int, _ call: (UnsafeMutablePointer<z_stream>) -> Int32) -> Int32 {
        if produced == output.count { output += [UInt8](repeating: 0, count: grow) }
        return output.withUnsafeMutableBufferPointer { out in
            stream.pointee.next_out = out.baseAddress! + produced
            stream.pointee.avail_out = UInt32(min(out.count - produced, Int(UInt32.max)))
            let before = stream.pointee.avail_out
            let status = call(stream)
            produced += Int(before - stream.pointee.avail_out)
            return status
        }
    }
}
