/// A chunk row's bytes (`audit_chunks.entries`, `feed_queue.entries`), whichever way an agent
/// wrote them: a Zstandard frame (schema v15), a gzip member (v12–v14), or plain (before). A plain
/// chunk starts with `{` (audit lines) or a type byte 1…10 (queue entries), never a magic.
enum StoredChunk {
    /// The row's form of a chunk: a frame at level 1 when that is smaller.
    static func stored(_ chunk: [UInt8]) -> [UInt8] {
        let compressed = Zstd.compress(chunk, level: 1)
        return compressed.count < chunk.count ? compressed : chunk
    }

    /// The chunk's bytes from a row's; nil when a compressed row is damaged.
    static func plain(_ stored: [UInt8]) -> [UInt8]? {
        if Zstd.isCompressed(stored) { return Zstd.decompress(stored) }
        if Gzip.isCompressed(stored) { return Gzip.decompress(stored) }
        return stored
    }
}
