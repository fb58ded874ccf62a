import Dispatch

/// A chunk row's stored form (`StoredChunk.stored`) made on a thread of its own while the writer
/// goes on. The writer fills the next chunk meanwhile and takes this one's bytes when it writes
/// the row — by then long made, so it seldom waits.
///
/// The audit's and the feed queue's chunks are the writer's largest piece of work that needs no
/// database: Zstandard over 1 MB chunks, 765 MB of audit in a pack's first pass, about 6 % of a first
/// ingest's writer instructions at 100,000 merchants — on the writer's thread, the longest of an
/// ingest, while the look-ahead's reader slept on its full queue (issue 16, session 46).
///
/// `@unchecked Sendable`: `stored` is written once on the compressing thread before `done` is
/// signalled, and read only after `take()` has waited for that signal.
final class ChunkCompression: @unchecked Sendable {
    private static let queue = DispatchQueue(label: "sandbox-agent.chunk-compression", qos: .userInitiated)
    private let done = DispatchSemaphore(value: 0)
    private var stored: [UInt8] = []
    private var taken = false

    /// Starts making the stored form of the chunk in `bytes`, which is left empty with its room
    /// kept for the next chunk (the bytes handed off keep their own storage).
    init(taking bytes: inout [UInt8]) {
        let chunk = bytes
        bytes.removeAll(keepingCapacity: true)
        Self.queue.async { [self] in
            stored = StoredChunk.stored(chunk)
            done.signal()
        }
    }

    /// The chunk's stored form, waiting for it if it is not made yet. Once only.
    func take() -> [UInt8] {
        precondition(!taken, "a chunk's stored form is taken once")
        taken = true
        done.wait()
        return stored
    }
}
