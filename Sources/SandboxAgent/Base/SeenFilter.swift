/// A Bloom filter in fixed memory: "certainly not seen" or "maybe seen".
///
/// Two uses. The pipeline keeps the merchant ids a file has already changed: the look-ahead
/// verifies merchants against the last committed state, which is only right for a merchant no
/// earlier row of the same file changed; a "maybe seen" answer (rarely false) sends the merchant
/// to the writer's own verification. The feed queue keeps the entries of the open commit
/// (`FeedQueueCoalescer`): a "maybe seen" entry is checked exactly before the commit. Either way
/// a false positive costs time, never correctness.
struct SeenFilter {
    private var bits: [UInt64]
    private let mask: UInt64

    /// `log2Bits` 25 = 4 MiB: about 0.05 % false positives at 469,000 ids, 2.4 % at 1.9 million.
    init(log2Bits: Int = 25) {
        bits = [UInt64](repeating: 0, count: 1 << (log2Bits - 6))
        mask = (1 << UInt64(log2Bits)) - 1
    }

    /// Two hashes from one: the value, and a murmur3 finalizer of it (odd, so the probes differ).
    private static func probes(_ hash: UInt64) -> (UInt64, UInt64) {
        var h = hash
        h ^= h >> 33; h &*= 0xff51_afd7_ed55_8ccd; h ^= h >> 33
        return (hash, h | 1)
    }

    /// Adds `id`; returns whether it may have been there before (one hash for both).
    @discardableResult
    mutating func insert(_ id: String) -> Bool { insert(hash: ContentHashValue.of(id)) }

    /// Adds a key by its 64-bit hash; returns whether it may have been there before.
    @discardableResult
    mutating func insert(hash: UInt64) -> Bool {
        let (a, b) = SeenFilter.probes(hash)
        var present = true
        for i in 0..<3 {
            let bit = (a &+ UInt64(i) &* b) & mask
            if bits[Int(bit >> 6)] & (1 << (bit & 63)) == 0 {
                present = false
                bits[Int(bit >> 6)] |= 1 << (bit & 63)
            }
        }
        return present
    }

    func mayContain(_ id: String) -> Bool {
        let (a, b) = SeenFilter.probes(ContentHashValue.of(id))
        for i in 0..<3 {
            let bit = (a &+ UInt64(i) &* b) & mask
            if bits[Int(bit >> 6)] & (1 << (bit & 63)) == 0 { return false }
        }
        return true
    }

    /// Forgets everything, keeping the memory.
    mutating func removeAll() {
        bits.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
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
