/// One feed-queue entry per record per commit.
///
/// A record changed twice in one commit — a licence listed twice in an export, the renewed row
/// after the old one under the same merchant, type and number — would be queued twice. The
/// batcher renders each entry's *current* content, so the second entry adds nothing; but when a
/// batch boundary falls between the two, the record goes out in two batches and the regulator
/// counts it twice. Entries of different commits stay apart: the later one may come after the
/// earlier was sent, and then it carries a newer version.
///
/// Memory stays flat whatever the commit's size (a first ingest queues 600,000 entries, the
/// 4× benchmark file 2.5 million): every entry of the open commit goes into a Bloom filter, and
/// the hash of one the filter may have seen is kept as a suspect. Before the commit, only if there
/// are suspects, one pass over the commit's chunk rows compares the entries with a suspect's hash
/// byte for byte, keeps the first of equal ones and names the later copies for removal
/// (`AgentState.coalesceFeedQueue`). A false positive costs that pass, never an entry.
///
/// A caller that knows better says so (`Knowledge`): a merchants file's rows know whether their
/// merchant appeared earlier in the file, which is the only way an entry of theirs repeats in
/// the file's commit. Their entries skip the filter: a first row's go in as they are, a later
/// row's as suspects. The filter's probes were a cache miss an entry, 3 % of the writer's samples
/// in an ingest of 469,000 merchants, where the writer is the longest thread (issue 16, session 35).
final class FeedQueueCoalescer {
    /// What the caller knows about the entries it queues now.
    enum Knowledge {
        /// Nothing: the filter decides.
        case unknown
        /// None of them equals an entry queued earlier in the open commit.
        case first
        /// One of them may equal an earlier entry: compared before the commit.
        case maybeRepeated
    }
    /// 4 MiB, made at the first entry queued inside a transaction: a connection that never
    /// queues (the batcher's, the syncer's) never pays for it. About 160 false positives in
    /// 630,000 entries (a first ingest of 469,000 merchants), 9,500 in 2.5 million: the filter is
    /// blocked (one cache line a probe), which answers "maybe" more often than one of the same
    /// size that spreads its bits; a suspect costs a hash in a set before the commit.
    private var filter: SeenFilter?
    private let log2Bits: Int
    private var used = false
    /// The open commit holds entries noted as `.first`, which the filter has not seen: from then
    /// on an entry the caller knows nothing about is a suspect, so that no repeat of a first
    /// entry can pass the filter unseen.
    private var vouched = false
    private var suspects: Set<UInt64> = []
    /// The first chunk row written in the open commit: every chunk of the commit is at or after it
    /// (a rowid is one past the largest), none written before it is.
    private(set) var firstChunk: Int64?

    /// `log2Bits`: the filter's size; tests make it tiny to force false positives.
    init(log2Bits: Int = 25) {
        self.log2Bits = log2Bits
    }

    /// An entry queued in the open commit, in its stored form.
    func note(entry: UnsafeRawBufferPointer, _ known: Knowledge = .unknown) {
        switch known {
        case .first:
            vouched = true
        case .maybeRepeated:
            suspects.insert(ContentHashValue.of(bytes: entry))
        case .unknown where vouched:
            // Written apart from the case above: a `where` after two patterns binds the second
            // alone (as meant here), which the compiler warns of as a likely mistake.
            suspects.insert(ContentHashValue.of(bytes: entry))
        case .unknown:
            if filter == nil { filter = SeenFilter(log2Bits: log2Bits) }
            used = true
            let hash = ContentHashValue.of(bytes: entry)
            if filter!.insert(hash: hash) { suspects.insert(hash) }
        }
    }

    /// A chunk row written in the open commit.
    func noteChunk(_ seq: Int64) {
        if firstChunk == nil { firstChunk = seq }
    }

    var hasSuspects: Bool { !suspects.isEmpty }

    /// The positions, in one chunk of the commit, of entries already met earlier in the commit.
    /// Chunks must come in queue order; `kept` carries the entries with a suspect's hash met so
    /// far, from one chunk to the next (the first copy of a repeat, and the false positives).
    /// Nil when the bytes are not a chunk.
    func laterCopies(in chunk: [UInt8], kept: inout Set<[UInt8]>) -> [Int]? {
        var later: [Int] = []
        let readable = chunk.withUnsafeBytes { bytes in
            FeedQueueChunk.forEachEntry(in: bytes) { index, entry in
                guard suspects.contains(ContentHashValue.of(bytes: entry)) else { return }
                if !kept.insert(Array(entry)).inserted { later.append(index) }
            }
        }
        return readable ? later : nil
    }

    /// The commit ended (committed or rolled back): the next starts empty.
    func reset() {
        if used { filter?.removeAll() }
        used = false
        vouched = false
        suspects.removeAll()
        firstChunk = nil
    }
}
