/// A Bloom filter of merchant ids a file has already changed, in fixed memory.
///
/// The look-ahead verifies merchants against the last committed state; that is only right for a
/// merchant no earlier row of the same file changed. A "maybe seen" answer (rarely false)
/// sends the merchant to the writer's own verification, so errors cost time, never correctness.
struct SeenFilter {
    private var bits: [UInt64]
    private let mask: UInt64

    /// `log2Bits` 25 = 4 MiB: about 0.05 % false positives at 469,000 ids, 2.4 % at 1.9 million.
    init(log2Bits: Int = 25) {
        bits = [UInt64](repeating: 0, count: 1 << (log2Bits - 6))
        mask = (1 << UInt64(log2Bits)) - 1
    }

    private static func hashes(_ id: String) -> (UInt64, UInt64) {
        var h = ContentHashValue.of(id)
        let a = h
        h ^= h >> 33; h &*= 0xff51_afd7_ed55_8ccd; h ^= h >> 33  // murmur3 finalizer for a second hash
        return (a, h | 1)
    }

    /// Adds `id`; returns whether it may have been there before (one hash for both).
    @discardableResult
    mutating func insert(_ id: String) -> Bool {
        let (a, b) = SeenFilter.hashes(id)
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
        let (a, b) = SeenFilter.hashes(id)
        for i in 0..<3 {
            let bit = (a &+ UInt64(i) &* b) & mask
            if bits[Int(bit >> 6)] & (1 << (bit & 63)) == 0 { return false }
        }
        return true
    }
}

import SandboxCore

enum ContentHashValue {
    static func of(_ text: String) -> UInt64 {
        var h = ContentHash()
        h.add(text)
        return h.value
    }
}
