import CSQLiteCheckpoint

/// How the checkpoints of this process write into their database files: what the checkpoint VFS
/// (`Sources/CSQLiteCheckpoint/checkpoint_vfs.c`) has written directly, past the page cache, and
/// what through it. The VFS is registered as the process's default before the first connection
/// opens (`Database`); a checkpoint's pages past the file's old end go directly, the others (which
/// a reader may have cached) through the cache.
public enum CheckpointWrites {
    public struct Counts: Equatable, Sendable {
        /// Bytes written with `O_DIRECT`, and the `write(2)` calls that took them.
        public var directBytes: Int64
        public var directWrites: Int64
        /// Checkpoint bytes written through the page cache (pages inside the file's old end, and
        /// any run the kernel would not take directly).
        public var cachedBytes: Int64
        /// Gathered runs the kernel refused directly and the page cache took instead.
        public var fallbacks: Int64
    }

    /// Since the process began.
    public static var counts: Counts {
        var c = sandbox_checkpoint_counts()
        sandbox_checkpoint_vfs_counts(&c)
        return Counts(directBytes: c.direct_bytes, directWrites: c.direct_writes,
                      cachedBytes: c.cached_bytes, fallbacks: c.fallbacks)
    }

    /// Direct writes on (the default) or off for checkpoints that begin afterwards: for a test
    /// that compares the two ways.
    static func setDirect(_ on: Bool) {
        sandbox_checkpoint_vfs_set_direct(on ? 1 : 0)
    }

    /// For tests: the next `count` direct writes fail with `error`, as a disk or a file system
    /// would make them fail.
    static func failDirectWrites(count: Int32, error: Int32) {
        sandbox_checkpoint_vfs_fail_direct_writes(count, error)
    }
}
