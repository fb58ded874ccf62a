import CZstd

/// Zstandard frames in memory, in one call: the audit's and the feed queue's chunk rows (issue 16).
/// At level 1 a chunk of audit lines comes out as small as gzip's level 1 makes it, in a sixth of
/// the CPU (765 MB of a first pass's audit: 0.6 s against 4.4 s, docs/benchmarks.md). Rows
/// written before are gzip members or plain bytes, told apart by their first bytes.
enum Zstd {
    /// A complete frame holding `bytes` (with its size, no checksum: SQLite's pages carry the row).
    ///
    /// The frame is written into the array's room as it is, not into zeros first: a chunk is about
    /// a megabyte, and zeroing its bound was 1.6 % of a first policy pass's writer instructions
    /// (issue 16, session 39). The array keeps the bound's room; a chunk row lives until its
    /// statement has run.
    static func compress(_ bytes: [UInt8], level: Int32 = 1) -> [UInt8] {
        let bound = ZSTD_compressBound(bytes.count)
        return [UInt8](unsafeUninitializedCapacity: bound) { out, count in
            let produced = bytes.withUnsafeBytes { ZSTD_compress(out.baseAddress, bound, $0.baseAddress, $0.count, level) }
            // Only a destination smaller than the bound can fail, and it is the bound.
            succeeded(produced, "compress")
            count = produced
        }
    }

    /// Stops on a libzstd result that is an error code, naming it: for calls that fail only when
    /// memory runs out or a caller breaks their contract (a destination below the bound).
    static func succeeded(_ result: Int, _ doing: String) {
        precondition(ZSTD_isError(result) == 0, "zstd \(doing) failed: \(String(cString: ZSTD_getErrorName(result)))")
    }

    /// True for bytes that start like a Zstandard frame (magic 28 b5 2f fd).
    static func isCompressed(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: [0x28, 0xb5, 0x2f, 0xfd])
    }

    /// The bytes of one frame made by `compress`; nil if they are not one complete frame.
    static func decompress(_ bytes: [UInt8]) -> [UInt8]? {
        let size = bytes.withUnsafeBytes { ZSTD_getFrameContentSize($0.baseAddress, $0.count) }
        // Frames made here carry their size; an unknown or absurd one is not ours.
        guard size != ZSTD_CONTENTSIZE_UNKNOWN, size != ZSTD_CONTENTSIZE_ERROR, size <= UInt64(Int32.max) else { return nil }
        var output = [UInt8](repeating: 0, count: Int(size))
        let produced = output.withUnsafeMutableBytes { out in
            bytes.withUnsafeBytes { ZSTD_decompress(out.baseAddress, out.count, $0.baseAddress, $0.count) }
        }
        guard ZSTD_isError(produced) == 0, produced == Int(size) else { return nil }
        return output
    }
}
