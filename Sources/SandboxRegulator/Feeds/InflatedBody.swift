import SandboxFormats

/// A request body as its readers see it: gzip undone (when it was sent so) a chunk at a time,
/// never more than `limit` bytes of it, each chunk shown to `observe` on its way (the digest that
/// recognises a replayed batch). Nothing but the chunk in hand is kept: the bound is on the work
/// a small gzip can cause, not on memory.
final class InflatedBody: ByteSource {
    private let source: ByteSource
    private let limit: Int
    private let observe: (UnsafeRawBufferPointer) -> Void
    /// Bytes given out so far.
    private(set) var count = 0
    /// Set when reading stopped at `limit`: the body is too large, not damaged.
    private(set) var exceededLimit = false
    /// Set when the bytes themselves failed (damaged gzip), not the reading of them.
    private(set) var sourceFailed = false

    /// What inflating holds besides the chunk its reader asks for: zlib's 32 KiB window and
    /// state, and the compressed chunk read at a time.
    static let workingSet = 64 * 1024 + 48 * 1024

    /// `chunkSize` is how many compressed bytes are inflated at a time (the fuzzer's harnesses make
    /// it small, so that refills are reached with short bodies).
    init(_ raw: [UInt8], gzip: Bool, limit: Int, chunkSize: Int = 64 * 1024,
         observe: @escaping (UnsafeRawBufferPointer) -> Void = { _ in }) throws(UnreadableFile) {
        source = gzip ? try GzipBytes(source: MemoryBytes(raw), chunkSize: chunkSize) : MemoryBytes(raw)
        self.limit = limit
        self.observe = observe
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(UnreadableFile) -> Int {
        let n: Int
        do { n = try source.read(into: buffer) } catch {
            sourceFailed = true
            throw error
        }
        guard n <= limit - count else {
            exceededLimit = true
            throw UnreadableFile("body larger than \(limit) bytes once decompressed; send smaller batches")
        }
        count += n
        if n > 0 { observe(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) }
        return n
    }
}
