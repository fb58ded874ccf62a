/// A Bloom filter in fixed memory: "certainly not seen" or "maybe seen".
///
/// Two uses. The pipeline's reader keeps the merchant ids a file has listed so far: the
/// look-ahead verifies merchants against the last committed state, which is only right for a
/// merchant no earlier row of the same file changed; a "maybe seen" answer (rarely false) sends
/// the merchant to the writer's own verification, and its feed entries to the exact check. The feed queue keeps the entries of the open commit
/// (`FeedQueueCoalescer`): a "maybe seen" entry is checked exactly before the commit. Either way
/// a false positive costs time, never correctness.
struct SeenFilter {
    private var words: [UInt64]
    private let mask: UInt64

    /// `log2Bits` 25 = 4 MiB: about 0.04 % false positives at 469,000 ids, 0.6 % at 1.9 million
    /// (`SeenFilterTests` measures them). At most 2^38 bits: the word is picked by 32 bits.
    init(log2Bits: Int = 25) {
        precondition((6...38).contains(log2Bits), "a seen filter of 2^\(log2Bits) bits")
        words = [UInt64](repeating: 0, count: 1 << (log2Bits - 6))
        mask = UInt64(words.count - 1)
    }

    /// A blocked filter: a key's three bits lie in one 64-bit word, so a probe touches one cache
    /// line, not three at random across a filter larger than the processor's caches. In an
    /// ingest of 469,000 merchants the writer's samples in the two filters fell from 79 to 60
    /// (about 0.26 → 0.20 s; the rest is mostly hashing the key). Per bit, a blocked filter
    /// answers "maybe" a little more often, which costs an exact check, never correctness.
    /// The key's hash goes through a murmur3 finalizer; its high half picks the word, three
    /// 6-bit fields of its low half the bits.
    private func probe(_ hash: UInt64) -> (word: Int, bits: UInt64) {
        var h = hash
        h ^= h >> 33; h &*= 0xff51_afd7_ed55_8ccd; h ^= h >> 33
        let bits: UInt64 = (1 << (h & 63)) | (1 << ((h >> 6) & 63)) | (1 << ((h >> 12) & 63))
        return (Int(truncatingIfNeeded: (h >> 32) & mask), bits)
    }

    /// Adds `id`; returns whether it may have been there before (one hash for both).
    @discardableResult
    mutating func insert(_ id: String) -> Bool { insert(hash: ContentHashValue.of(id)) }

    /// Adds a key by its 64-bit hash; returns whether it may have been there before.
    @discardableResult
    mutating func insert(hash: UInt64) -> Bool {
        let (word, bits) = probe(hash)
        return words.withUnsafeMutableBufferPointer { w in
            let before = w[word]
            w[word] = before | bits
            return before & bits == bits
        }
    }

    func mayContain(_ id: String) -> Bool { mayContain(hash: ContentHashValue.of(id)) }

    func mayContain(hash: UInt64) -> Bool {
        let (word, bits) = probe(hash)
        return words.withUnsafeBufferPointer { $0[word] & bits == bits }
    }

    /// Forgets everything, keeping the memory.
    mutating func removeAll() {
        words.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }
}

import SandboxCore

enum ContentHashValue {
    static func of(_ text: String) -> UInt64 {
        var h = ContentHash()
        h.add(text)
        return h.value
    }

    /// The hash of raw bytes (a feed queue entry as stored).
    static func of(bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h = ContentHash()
        h.add(bytes: bytes)
        return h.value
    }
}
